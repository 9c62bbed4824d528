// The API reference: renders /api/openapi.json with DOM calls only (no CDN, no inline script,
// no HTML parsing of fetched text), so it works under the app's Content-Security-Policy.
(function () {
  "use strict";
  const root = document.getElementById("api-docs");

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function resolve(spec, schema) {
    let current = schema || {};
    for (let i = 0; i < 10 && current.$ref; i++) {
      const name = current.$ref.split("/").pop();
      current = (spec.components && spec.components.schemas && spec.components.schemas[name]) || {};
    }
    return current;
  }

  function typeOf(spec, schema) {
    const s = resolve(spec, schema);
    if (schema && schema.$ref) return schema.$ref.split("/").pop();
    if (s.anyOf) return s.anyOf.map((x) => typeOf(spec, x)).join(" | ");
    if (s.type === "array") return typeOf(spec, s.items) + "[]";
    return (s.type || "object") + (s.format ? " (" + s.format + ")" : "");
  }

  function fields(spec, schema) {
    const s = resolve(spec, schema);
    const props = s.properties || {};
    const required = new Set(s.required || []);
    const rows = Object.entries(props).map(([name, prop]) =>
      el("tr", {}, el("td", { class: "path" }, name + (required.has(name) ? " *" : "")),
        el("td", {}, typeOf(spec, prop)), el("td", {}, resolve(spec, prop).description || "")));
    if (!rows.length) return el("p", {}, typeOf(spec, schema));
    return el("table", {}, el("tr", {}, el("th", {}, "field"), el("th", {}, "type"), el("th", {}, "")), ...rows);
  }

  function parameters(spec, op) {
    const params = op.parameters || [];
    if (!params.length) return null;
    return el("div", {}, el("h4", {}, "Parameters"),
      el("table", {}, ...params.map((p) => el("tr", {},
        el("td", { class: "path" }, p.name), el("td", {}, p.in), el("td", {}, typeOf(spec, p.schema)),
        el("td", {}, p.description || "")))));
  }

  function body(spec, op) {
    const content = (op.requestBody && op.requestBody.content) || {};
    const entries = Object.entries(content);
    if (!entries.length) return null;
    const [media, { schema }] = entries[0];
    return el("div", {}, el("h4", {}, "Request body (" + media + ")"), fields(spec, schema));
  }

  function responses(op) {
    const rows = Object.entries(op.responses || {}).map(([status, r]) =>
      el("tr", {}, el("td", {}, status), el("td", {}, r.description || ""),
        el("td", { class: "path" }, Object.keys(r.content || {}).join(", "))));
    return el("div", {}, el("h4", {}, "Responses"), el("table", {}, ...rows));
  }

  function operation(spec, path, method, op) {
    const permission = op["x-permission"] ? el("span", { class: "permission" }, "permission: " + op["x-permission"]) : null;
    const head = el("summary", {}, el("span", { class: "method " + method }, method),
      el("span", { class: "path" }, path), el("span", { class: "summary" }, op.summary || ""), permission);
    return el("details", { class: "operation", id: (method + path).replace(/[^a-z0-9]+/gi, "-") },
      head, op.description ? el("p", {}, op.description) : null,
      parameters(spec, op), body(spec, op), responses(op));
  }

  function render(spec) {
    root.replaceChildren();
    const info = spec.info || {};
    root.append(el("h1", { id: "api-title" }, info.title || "API"),
      el("p", { class: "version" }, "Version " + (info.version || "") + " · OpenAPI " + (spec.openapi || "")),
      el("p", {}, "The raw description: ", el("a", { href: root.dataset.openapi }, root.dataset.openapi)));
    const byTag = new Map();
    for (const [path, ops] of Object.entries(spec.paths || {})) {
      for (const [method, op] of Object.entries(ops)) {
        const tag = (op.tags && op.tags[0]) || "other";
        if (!byTag.has(tag)) byTag.set(tag, []);
        byTag.get(tag).push(operation(spec, path, method, op));
      }
    }
    for (const [tag, nodes] of byTag) root.append(el("h2", { class: "tag" }, tag), ...nodes);
  }

  fetch(root.dataset.openapi, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status))))
    .then(render)
    .catch((err) => {
      const loading = document.getElementById("api-loading");
      if (loading) loading.textContent = "The API description could not be loaded (" + err.message + ").";
    });
})();
