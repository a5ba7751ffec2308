// Figures of one public page as a citizen's phone shows it (tests/browser/test_public_elder.py).
() => {
  const TARGETS = "a[href], button, input:not([type=hidden]), select, textarea, summary, label.choice";
  function lum(rgb) {
    const c = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function parse(color) {
    const m = color.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(",").map((s) => parseFloat(s));
    return { rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1 };
  }
  function contrast(a, b) {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  }
  function background(el) {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c.rgb;
    }
    return [255, 255, 255];
  }
  function describe(el) {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 30);
    return `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ")[0] : ""} "${text}"`;
  }
  function shown(el) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) return false;
    if (el.closest("[hidden], .hp, [aria-hidden=true]")) return false;
    const s = getComputedStyle(el);
    if (s.visibility === "hidden" || s.display === "none") return false;
    // Off-screen skip link and the like.
    return r.right > 0 && r.left < document.documentElement.clientWidth + 1 && r.bottom > -5000;
  }
  let targets = [...document.querySelectorAll(TARGETS)].filter(shown);
  // A control inside its own label is measured as the label; a link's image as the link.
  targets = targets.filter((el) => !targets.some((o) => o !== el && o.contains(el)));
  const rects = targets.map((el) => el.getBoundingClientRect());
  const small = [];
  const crowded = [];
  targets.forEach((el, i) => {
    const r = rects[i];
    if (r.height < 59.5) small.push(`${describe(el)} ${Math.round(r.height)}px`);
    rects.forEach((o, j) => {
      if (j <= i) return;
      // Signed gaps: negative along an axis where the two boxes overlap on it.
      const dx = Math.max(o.left - r.right, r.left - o.right);
      const dy = Math.max(o.top - r.bottom, r.top - o.bottom);
      const overlap = dx < -0.5 && dy < -0.5;
      if (!overlap && Math.max(dx, dy) < 7.5) crowded.push(`${describe(el)} / ${describe(targets[j])} ${Math.max(dx, dy).toFixed(1)}px`);
    });
  });
  const headings = [...document.querySelectorAll("h1, h2, h3, h4")].filter(shown).map((h) => {
    const s = getComputedStyle(h);
    return { text: h.innerText.slice(0, 30), ratio: parseFloat(s.lineHeight) / parseFloat(s.fontSize) };
  });
  // The focus ring of every target, against what is behind the target.
  const rings = [];
  targets.forEach((el) => {
    const focusable = el.matches("label") ? el.querySelector("input") : el;
    if (!focusable) return;
    focusable.focus({ focusVisible: true });
    if (document.activeElement !== focusable) return;
    const s = getComputedStyle(focusable);
    const colors = [];
    if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) colors.push(parse(s.outlineColor));
    const shadow = s.boxShadow.match(/rgba?\([^)]+\)/);
    if (shadow && /\b([3-9]|\d\d)px\b/.test(s.boxShadow)) colors.push(parse(shadow[0]));
    const behind = background(el.parentElement || el);
    const best = Math.max(0, ...colors.filter(Boolean).map((c) => contrast(c.rgb, behind)));
    rings.push({ what: describe(el), contrast: best });
  });
  if (document.activeElement) document.activeElement.blur();
  const header = document.querySelector("header.site").getBoundingClientRect();
  const nav = document.querySelector("nav.main-nav");
  const headerBottom = Math.max(header.bottom, nav ? nav.getBoundingClientRect().bottom : 0) + window.scrollY;
  // The menu scrolled sideways inside its own row (the page itself may not overflow).
  const menu = document.querySelector("nav.main-nav ul");
  // The home page's main button, from the top of the page.
  const primary = document.querySelector("main .hero .button.primary");
  return {
    small, crowded, headings, rings,
    menuOverflow: menu ? menu.scrollWidth - menu.clientWidth : 0,
    primaryBottom: primary ? primary.getBoundingClientRect().bottom + window.scrollY : null,
    headerShare: headerBottom / window.innerHeight,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    readAloud: document.querySelectorAll("main [data-read-aloud]").length,
    bodyFont: parseFloat(getComputedStyle(document.querySelector("main")).fontSize),
  };
}
