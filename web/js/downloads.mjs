// downloads: exports are saved as local downloads (blob: URLs); nothing is sent anywhere.

function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export function downloadText(filename, mime, content) {
  save(new Blob([content], { type: mime }), filename);
}

// Call right after the frame is drawn (the WebGL buffer is cleared once it is shown).
export function downloadCanvasPng(canvas, filename) {
  const dataUrl = canvas.toDataURL('image/png');
  const bytes = Uint8Array.from(atob(dataUrl.split(',')[1]), (c) => c.charCodeAt(0));
  save(new Blob([bytes], { type: 'image/png' }), filename);
}
