<!doctype html>
<html lang="${lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} · ENCV</title>
  <link rel="stylesheet" href="/static/app.css">
</head>
<body>
<main>
${self.body()}
</main>
</body>
</html>
