// Runs before the page renders: a page of the signed-in portal without a
// stored token goes straight to the sign-in page, remembering where it was.
(function () {
  var token = null;
  try { token = window.localStorage.getItem('atelier.token'); } catch (e) { /* storage blocked */ }
  if (!token) {
    var next = window.location.pathname + window.location.search + window.location.hash;
    window.location.replace('/sign-in/?next=' + encodeURIComponent(next));
  }
})();
