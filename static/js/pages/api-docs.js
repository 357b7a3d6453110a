// The API documentation page: Swagger UI (static/vendor, from npm) over /api/v1/openapi.json.
// "Try it out" sends the signed-in session's cookie, so writes carry the page's CSRF token.

import { csrfToken } from "../lib/http.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const root = document.getElementById("swagger-ui");

globalThis.SwaggerUIBundle({
  domNode: root,
  url: root.dataset.specUrl,
  deepLinking: true,
  tryItOutEnabled: false,
  requestInterceptor(request) {
    if (!SAFE_METHODS.has(request.method)) request.headers["X-CSRFToken"] = csrfToken();
    return request;
  },
});
