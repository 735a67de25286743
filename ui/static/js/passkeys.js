// Passkeys (WebAuthn) for the account page and the sign-in pages.
// The server answers options as JSON; the browser's response goes back in
// the page's ordinary form post (hidden field), so CSRF and
// post/redirect/get work as for every other form.
(function () {
  "use strict";

  function toBytes(b64url) {
    var b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = atob(b64), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out.buffer;
  }

  function toB64url(buffer) {
    if (!buffer) { return null; }
    var bytes = new Uint8Array(buffer), text = "";
    for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // Texts in the page's language, from base.mako (English if absent).
  var TEXT = (function () {
    try { return JSON.parse(document.body.getAttribute("data-i18n") || "{}"); }
    catch (e) { return {}; }
  })();

  function showError(text) {
    var box = document.getElementById("passkey-error");
    if (box) { box.textContent = text; box.classList.remove("d-none"); }
  }

  function fetchOptions(url, form) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "Accept-Language": document.documentElement.lang || "en",
        "Content-Type": "application/json",
        "X-CSRF-Token": form.elements.csrf_token.value
      },
      body: "{}"
    }).then(function (resp) {
      return resp.json().then(function (body) {
        if (!resp.ok) { throw new Error(body.error || TEXT.passkeyRefused || "The server refused."); }
        return body;
      });
    });
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function register(form) {
    return fetchOptions("/account/passkeys/options", form).then(function (opts) {
      opts.challenge = toBytes(opts.challenge);
      opts.user.id = toBytes(opts.user.id);
      opts.excludeCredentials = descriptors(opts.excludeCredentials);
      return navigator.credentials.create({ publicKey: opts });
    }).then(function (cred) {
      var r = cred.response;
      return {
        id: cred.id,
        rawId: toB64url(cred.rawId),
        type: cred.type,
        authenticatorAttachment: cred.authenticatorAttachment || null,
        clientExtensionResults: cred.getClientExtensionResults(),
        response: {
          clientDataJSON: toB64url(r.clientDataJSON),
          attestationObject: toB64url(r.attestationObject),
          transports: r.getTransports ? r.getTransports() : []
        }
      };
    });
  }

  function authenticate(form) {
    return fetchOptions("/session/passkey-options", form).then(function (opts) {
      opts.challenge = toBytes(opts.challenge);
      opts.allowCredentials = descriptors(opts.allowCredentials);
      return navigator.credentials.get({ publicKey: opts });
    }).then(function (cred) {
      var r = cred.response;
      return {
        id: cred.id,
        rawId: toB64url(cred.rawId),
        type: cred.type,
        authenticatorAttachment: cred.authenticatorAttachment || null,
        clientExtensionResults: cred.getClientExtensionResults(),
        response: {
          clientDataJSON: toB64url(r.clientDataJSON),
          authenticatorData: toB64url(r.authenticatorData),
          signature: toB64url(r.signature),
          userHandle: toB64url(r.userHandle)
        }
      };
    });
  }

  function wire(formId, field, ceremony) {
    var form = document.getElementById(formId);
    if (!form) { return; }
    if (!window.PublicKeyCredential) {
      // Not a secure context (or an old browser): an optional passkey button
      // (username-less sign-in) disappears; elsewhere, say why it cannot work.
      form.classList.add("d-none");
      if (!form.hasAttribute("data-optional")) {
        showError(TEXT.passkeyInsecure || "Passkeys need a secure context: HTTPS or http://localhost.");
      }
      return;
    }
    form.addEventListener("submit", function (event) {
      if (form.elements[field].value) { return; }
      event.preventDefault();
      if (!form.reportValidity()) { return; }
      ceremony(form).then(function (credential) {
        form.elements[field].value = JSON.stringify(credential);
        form.submit();
      }).catch(function (err) {
        showError(err && err.message ? err.message : (TEXT.passkeyUnfinished || "The passkey step did not finish."));
      });
    });
  }

  wire("passkey-add", "credential", register);
  wire("passkey-form", "passkey", authenticate);
})();
