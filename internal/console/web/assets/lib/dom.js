// Building the DOM. Pages never assign innerHTML: every piece of text from
// the API goes into a text node, so no data can become markup (and the
// Content-Security-Policy forbids inline script anyway).

/**
 * h('a', {href: '/console/', class: 'x', onclick: fn}, 'text', child, [more])
 * Attributes whose value is a function are set as event handlers; null,
 * undefined and false leave the attribute out; true sets it empty.
 */
export function h(tag, attrs = {}, ...children) {
  const el = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces everything inside el with children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}
