// HTML on standard input -> text on standard output, by one of three npm converters at its defaults, named as the
// first argument (the style of bench/dump_styles.py); each needs `npm install <package>` and NODE_PATH at its
// node_modules:
//   turndown          turndown: Markdown, headings underlined, "*" bullets, fenced code off; scripts, styles and
//                     templates removed first, as clippers configure it
//   htmltotext        html-to-text: wrapped at 80 columns, headings upper-cased, a link's address in brackets after
//                     its text ("Home [https://…]"), an image as its address in brackets
//   nodehtmlmarkdown  node-html-markdown: Markdown, "#" headings, inline links, lines not wrapped
const CONVERTERS = {
  turndown: (html) => {
    const TurndownService = require("turndown");
    const service = new TurndownService();
    service.remove(["script", "style", "noscript", "template"]);
    return service.turndown(html);
  },
  htmltotext: (html) => require("html-to-text").convert(html),
  nodehtmlmarkdown: (html) => require("node-html-markdown").NodeHtmlMarkdown.translate(html),
};

const convert = CONVERTERS[process.argv[2]];
if (!convert) {
  process.stderr.write(`usage: node html_to_text.js ${Object.keys(CONVERTERS).join("|")} < page.html\n`);
  process.exit(2);
}
let html = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { html += chunk; });
process.stdin.on("end", () => { process.stdout.write(convert(html)); });
