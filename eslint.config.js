// ESLint flat config for the front end: browser ES modules under static/js, node tests under
// tests/js. Formatting is prettier's job (`prettier --check`), so no style rules here.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "static/vendor/", ".venv/", "instance/", "bench/", "docs/"] },
  js.configs.recommended,
  {
    files: ["static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.browser, Hls: "readonly" },
    },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-var": "error",
      "prefer-const": "error",
      "no-implicit-globals": "error",
      "no-restricted-syntax": [
        "error",
        {
          selector: "AssignmentExpression[left.property.name='innerHTML']",
          message: "Build nodes and set textContent: user text must never become markup.",
        },
      ],
    },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: globals.node },
  },
];
