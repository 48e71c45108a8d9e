// Starts Swagger UI on /schema. A file of its own, not an inline script, so that the page's
// Content-Security-Policy allows scripts from our own origin only.
"use strict";

window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    // the public validator badge would send our schema's address elsewhere
    validatorUrl: null,
  });
});
