// Build-time stand-in for Google Fonts, which this machine cannot reach: the0's frontend loads Inter
// through next/font/google, and `next build` fetches its stylesheet. Next's own test hook
// (NEXT_FONT_GOOGLE_MOCKED_RESPONSES) reads the stylesheet for each URL from this module; every URL
// answers one @font-face, so the build completes and pages fall back to the system font. Nothing of
// the0's source is changed.
module.exports = new Proxy(
  {},
  {
    get: (_target, url) =>
      typeof url === "string"
        ? "@font-face { font-family: 'Inter'; font-style: normal; font-weight: 400; font-display: swap; " +
          "src: url(https://fonts.gstatic.com/s/inter/stand-in.woff2) format('woff2'); unicode-range: U+0000-00FF; }\n"
        : undefined,
  },
);
