const test = require("node:test");
const assert = require("node:assert/strict");
const { page } = require("./helpers.js");

const ARTICLE = `<html lang="en-GB"><head><title>Rivers rise after storm | Daily Planet</title>
<meta property="article:published_time" content="2026-03-02T10:00:00Z"><meta name="author" content="Lois Lane"></head><body>
<header class="masthead"><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav></header>
<div class="share-bar"><a href="#">Share on X</a> <a href="#">Share by email</a></div>
<article><h1>Rivers rise after the storm</h1>
<div class="article-body">
<p>Rivers across the valley rose sharply overnight, flooding roads and forcing hundreds of families to leave their homes, officials said on Tuesday.</p>
<p>The river at Millbrook reached its highest level in forty years, according to the regional water authority, which warned that more rain was expected.</p>
<figure><img src="/flood.jpg" alt="Flooded street"><figcaption>A flooded street in Millbrook. Photo: Agency</figcaption></figure>
<h2>What happens next</h2>
<p>Emergency crews are <a href="/crews">working through the night</a>, and <strong>schools will stay closed</strong> until Thursday.</p>
<ul><li>Evacuation centres are open in the town hall.</li><li>Bottled water is being handed out at the station.</li></ul>
<blockquote><p>We have never seen anything like this, said one resident, whose house flooded within an hour.</p></blockquote>
<div class="newsletter-signup"><p>Sign up for our newsletter to get the news first, every single morning.</p></div>
</div></article>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Storm hits coast</a></li><li><a href="/b">Wettest winter on record</a></li></ul></aside>
<section id="comments"><p>Comment by Bob: this is terrible news for everyone living in the valley, I hope they cope.</p></section>
<footer><p>Copyright Daily Planet 2026. All rights reserved and more footer words here.</p></footer>
</body></html>`;

test("keeps the body, drops navigation, share bars, captions, newsletter, related and comments", () => {
  const { Article, document } = page(ARTICLE);
  const a = Article.extract(document, {});
  for (const kept of ["Rivers across the valley rose sharply", "highest level in forty years", "What happens next", "working through the night", "Evacuation centres are open", "We have never seen anything like this"]) {
    assert.ok(a.text.includes(kept), `kept: ${kept}`);
  }
  for (const dropped of ["Share on X", "Sport", "Sign up for our newsletter", "Storm hits coast", "Comment by Bob", "Copyright Daily Planet", "A flooded street in Millbrook"]) {
    assert.ok(!a.text.includes(dropped), `dropped: ${dropped}`);
  }
});

test("finds title, byline, date and language", () => {
  const { Article, document } = page(ARTICLE);
  const a = Article.extract(document, {});
  assert.equal(a.title, "Rivers rise after the storm");
  assert.equal(a.byline, "Lois Lane");
  assert.equal(a.date, "2026-03-02T10:00:00Z");
  assert.equal(a.lang, "en");
  assert.ok(!a.text.startsWith("Rivers rise after the storm"), "the title is not repeated in the body");
});

test("markdown keeps headings, links, emphasis, lists, quotes and images", () => {
  const { Article, document } = page(ARTICLE);
  const md = Article.extract(document, { url: "http://127.0.0.1:8000/story" }).markdown;
  assert.match(md, /^# Rivers rise after the storm/);
  assert.match(md, /^## What happens next$/m);
  assert.match(md, /\[working through the night\]\(http:\/\/127\.0\.0\.1:8000\/crews\)/);
  assert.match(md, /\*\*schools will stay closed\*\*/);
  assert.match(md, /^- Evacuation centres are open in the town hall\.$/m);
  assert.match(md, /^> We have never seen anything like this/m);
});

test("works on a page whose paragraphs are divs and whose metadata is JSON-LD", () => {
  const body = Array.from({ length: 6 }, (_, i) => `<div class="txt">Paragraph ${i} of the story carries enough words, commas, and detail to look like prose written by a person.</div>`).join("");
  const { Article, document } = page(`<html><head><title>T</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"A headline from JSON-LD","author":{"name":"Ann Author"},"datePublished":"2026-01-01"}</script></head>
    <body><div class="menu"><a href="/x">Menu link one</a><a href="/y">Menu link two</a></div><div class="story">${body}</div></body></html>`);
  const a = Article.extract(document, {});
  assert.equal(a.title, "A headline from JSON-LD");
  assert.equal(a.byline, "Ann Author");
  assert.equal(a.date, "2026-01-01");
  assert.match(a.text, /Paragraph 0 of the story/);
  assert.match(a.text, /Paragraph 5 of the story/);
  assert.doesNotMatch(a.text, /Menu link/);
});
