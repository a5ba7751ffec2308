// Starts Swagger UI on /api/v1/docs/ over the API's own description: a file, not an inline
// script, so the Content-Security-Policy needs no exception for scripts.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    deepLinking: true,
    tryItOutEnabled: false,
    persistAuthorization: false,
  });
});
