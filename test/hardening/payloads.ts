/**
 * Hostile directory data: values an administrator (or anyone allowed to edit a user or group) can store in Entra ID,
 * and which every surface of the extension must show as literal text. Payloads that would run script set a marker
 * (`window.__pwned`, `document.title`) so a test can tell whether they ran.
 */
export type PayloadKind =
  | 'html' | 'attribute' | 'url' | 'css' | 'markdown' | 'link' | 'bidi' | 'control' | 'long' | 'template' | 'formula' | 'unicode';

export interface Payload {
  id: string;
  kind: PayloadKind;
  value: string;
  /** Set when the value would run script: the marker number it writes to `window.__pwned`. */
  marker?: number;
}

export const PWNED_TITLE = 'PWNED';

const p = (id: string, kind: PayloadKind, value: string, marker?: number): Payload => ({ id, kind, value, ...(marker !== undefined ? { marker } : {}) });

export const PAYLOADS: readonly Payload[] = [
  // HTML and script
  p('script-tag', 'html', `<script>window.__pwned=1;document.title='${PWNED_TITLE}'</script>`, 1),
  p('img-onerror', 'html', `<img src=x onerror="window.__pwned=2;document.title='${PWNED_TITLE}'">`, 2),
  p('svg-onload', 'html', '<svg onload="window.__pwned=3"><circle r=1></svg>', 3),
  p('iframe-js', 'html', '<iframe src="javascript:parent.__pwned=4"></iframe>', 4),
  p('anchor-js', 'html', '<a href="javascript:window.__pwned=5">click me</a>', 5),
  p('details-toggle', 'html', '<details open ontoggle="window.__pwned=6"><summary>x</summary></details>', 6),
  p('mxss', 'html', '<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=7>', 7),
  p('split-script', 'html', '<scr<script>ipt>window.__pwned=8</scr</script>ipt>', 8),
  p('comment-break', 'html', '<!--<img src="--><img src=x onerror=window.__pwned=9>', 9),
  p('object-data', 'html', '<object data="data:text/html,<script>parent.__pwned=10</script>"></object>', 10),
  // Breaking out of attributes and elements
  p('dq-attr', 'attribute', '" onmouseover="window.__pwned=11" autofocus onfocus="window.__pwned=11" x="', 11),
  p('sq-attr', 'attribute', "' onfocus='window.__pwned=12' autofocus x='", 12),
  p('close-tag', 'attribute', '"><img src=x onerror=window.__pwned=13>', 13),
  p('close-textarea', 'attribute', '</textarea><img src=x onerror=window.__pwned=14>', 14),
  p('close-title', 'attribute', '</title><script>window.__pwned=15</script>', 15),
  p('backtick', 'attribute', '`-(window.__pwned=16)-`', 16),
  // URLs
  p('js-url', 'url', 'javascript:window.__pwned=17'),
  p('js-url-case', 'url', 'JaVaScRiPt:window.__pwned=18'),
  p('data-url', 'url', 'data:text/html,<script>window.__pwned=19</script>'),
  p('https-url', 'url', 'https://evil.example/login?next=steal'),
  p('command-url', 'url', 'command:workbench.action.quit'),
  p('file-url', 'url', 'file:///etc/passwd'),
  // CSS
  p('style-block', 'css', '<style>*{display:none!important}</style>'),
  p('style-attr', 'css', '<div style="position:fixed;inset:0;background:url(https://evil.example/x)">cover</div>'),
  p('css-expression', 'css', 'width:expression(window.__pwned=25)'),
  p('css-import', 'css', '@import url(https://evil.example/x.css);'),
  // Markdown (tooltips, chat confirmations)
  p('md-command-link', 'markdown', '[Open me](command:workbench.action.quit)'),
  p('md-command-args', 'markdown', '[Delete](command:entraId.group.delete?%5B%2200000000-0000-4000-8000-000000000000%22%5D)'),
  p('md-image', 'markdown', '![pixel](https://evil.example/pixel.png)'),
  p('md-autolink', 'markdown', '<https://evil.example/autolink>'),
  p('md-reference', 'markdown', '[click][r]\n\n[r]: command:workbench.action.quit'),
  p('md-emphasis', 'markdown', '**bold** _it_ `code` ~~strike~~ # not a heading'),
  p('md-theme-icon', 'markdown', '$(alert) $(sync~spin) Admin'),
  p('md-block', 'markdown', '# Heading\n---\n> quote\n| a | b |\n|---|---|'),
  p('md-html-entity', 'markdown', '&lt;b&gt;not bold&lt;/b&gt; &#x5b;x&#x5d;(command:workbench.action.quit)'),
  // Links in notifications: `[text](command:…)` is a live link there
  p('notify-command', 'link', '[Open settings](command:workbench.action.openSettings)'),
  p('notify-https', 'link', '[Sign in again](https://evil.example/phish)'),
  p('notify-titled', 'link', '[x](command:workbench.action.quit "Looks harmless")'),
  // Bidirectional text
  p('rlo', 'bidi', 'Invoice \u202Efdp.exe'),
  p('isolates', 'bidi', '\u2066admin\u2069 \u2067user\u2069 \u2068x\u2069'),
  p('marks', 'bidi', 'right\u200Fleft\u200E arabic\u061Cmark'),
  // Control characters and line breaks
  p('crlf', 'control', 'line one\r\nline two\nline three\u2028line four\u2029line five\u0085end'),
  p('c0', 'control', 'null\u0000 bell\u0007 esc\u001b[31mred\u001b[0m del\u007f'),
  p('tabs', 'control', 'tab\there\u000Bvertical\u000Cform'),
  // Very long values
  p('long-a', 'long', 'A'.repeat(10_000)),
  p('long-tags', 'long', '<b>'.repeat(2_000)),
  p('long-emoji', 'long', '🦄'.repeat(2_000)),
  // Templates and other interpreters
  p('template', 'template', `\${7*7} {{constructor.constructor('window.__pwned=50')()}} <%= 7*7 %>`),
  p('path', 'template', '../../../etc/passwd %0d%0aSet-Cookie: x=1'),
  // Spreadsheet formulas (CSV export)
  p('csv-hyperlink', 'formula', '=HYPERLINK("https://evil.example","click")'),
  p('csv-dde', 'formula', "+cmd|' /C calc'!A0"),
  p('csv-minus', 'formula', '-2+3+cmd|\' /C calc\'!A0'),
  p('csv-at', 'formula', '@SUM(1+1)*cmd|\' /C calc\'!A0'),
  p('csv-tab', 'formula', '\t=1+1'),
  p('csv-cr', 'formula', '\r=1+1'),
  p('csv-quote-comma', 'formula', 'a","=1+1","b'),
  // Unicode oddities
  p('zalgo', 'unicode', 'Z̷̢͉a̵l̸g̴o\u200B\u200Dzero\u2060width'),
  p('homoglyph', 'unicode', 'аdmin (Cyrillic а)'),
  p('lone-surrogate', 'unicode', 'half \uD83D emoji'),
];

/** What must never appear in a rendering of data: the start of markup, a link, an image, a script. */
export const LIVE_HTML = /<(script|img|svg|iframe|a\s|a>|object|style|details|math|body|div|b>|link|meta)/i;

/** The workbench's linked-text grammar (notifications, some descriptions): `[label](https://…|command:…|file:…)`. */
export const WORKBENCH_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

/** Bidirectional overrides, embeddings and isolates. */
export const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/** Line breaks that would let a value fake another line. */
export const LINE_BREAK = /[\r\n\u2028\u2029\u0085]/;

/** Starts of a spreadsheet formula (OWASP CSV injection). */
export const FORMULA_START = /^[=+\-@\t\r]/;
