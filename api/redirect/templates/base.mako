<%doc>Page frame of the redirector: language, direction, stylesheet.</%doc>
<!doctype html>
<html lang="${lang}" dir="${direction}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>${self.title()}</title>
  <link rel="stylesheet" href="/static/report.css">
</head>
<body>
  <main>
${self.body()}
  </main>
</body>
</html>
