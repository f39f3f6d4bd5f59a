// needs_server: the page opened straight from a file (file://) cannot start, and says why and
// what to do instead of "Loading…" forever. This is a classic script, not a module, because
// Chromium refuses module scripts from file:// (js/page_main.mjs never runs there) while it
// still runs classic ones; Firefox runs both, and page_main.mjs adds the error it met.
(function explainFileUrl() {
  'use strict';
  if (location.protocol !== 'file:') return;
  const box = document.getElementById('loading');
  if (!box) return;
  // The folder holding index.html, as the terminal spells it (no leading "/" before "C:").
  let folder = decodeURIComponent(location.pathname.replace(/[^/]*$/, ''));
  if (/^\/[A-Za-z]:\//.test(folder)) folder = folder.slice(1);
  const paragraph = (...parts) => {
    const p = document.createElement('p');
    for (const part of parts) {
      if (typeof part === 'string') {
        p.append(part);
      } else {
        const code = document.createElement('code');
        code.textContent = part.code;
        p.append(code);
      }
    }
    return p;
  };
  const command = (text) => {
    const pre = document.createElement('pre');
    pre.className = 'command';
    pre.textContent = text;
    return pre;
  };
  const title = document.createElement('h2');
  title.textContent = 'spexlens cannot run from a file opened directly (file://)';
  box.classList.add('blocked');
  box.setAttribute('role', 'alert');
  box.replaceChildren(
    title,
    paragraph('Browsers do not let a page opened from a file start a web worker or load its ',
      'WebAssembly and model files, and spexlens needs all of them. Nothing is wrong with the folder.'),
    paragraph('To run it without a server, open ', { code: 'spexlens.html' }, ' in this folder instead: the same page ',
      'in one file, which runs from a double-click (on one thread, so a run takes a little longer).'),
    paragraph('Or serve the folder on this machine. In a terminal, run (serve.py is in this folder):'),
    command(`cd "${folder}" && python3 serve.py`),
    paragraph('then open ', { code: 'http://127.0.0.1:8080/' }, ' in this browser.'),
    paragraph('From the spexlens source tree, ', { code: 'scripts/run.sh' },
      ' builds the page and serves it at the same address. Any static web server works too; ',
      'the page sends nothing anywhere.'));
})();
