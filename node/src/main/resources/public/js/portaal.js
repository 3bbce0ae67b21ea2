// The portal's one script (loaded with the page's CSP nonce): when a page shows an error summary, move the focus to it,
// so that a screen reader reads the errors first. Every page works without it.
document.addEventListener('DOMContentLoaded', function () {
  var summary = document.querySelector('[data-foutsamenvatting]');
  if (summary) {
    summary.focus();
  }
});
