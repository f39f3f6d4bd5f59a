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

// Bytes made by the app (a PNG with its text chunks): copied out of wasm memory and saved.
export function downloadBytes(filename, mime, bytes) {
  save(new Blob([bytes.slice()], { type: mime }), filename);
}

// The canvas as PNG bytes. Call right after the frame is drawn (the WebGL buffer is cleared
// once it is shown); the app adds the text chunks.
export function canvasPngBytes(canvas) {
  const dataUrl = canvas.toDataURL('image/png');
  return Uint8Array.from(atob(dataUrl.split(',')[1]), (c) => c.charCodeAt(0));
}
