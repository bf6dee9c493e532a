// The site root: signed-in users go to their workspaces, everyone else signs in.
(function () {
  var token = null;
  try { token = window.localStorage.getItem('atelier.token'); } catch (e) { /* storage blocked */ }
  window.location.replace(token ? '/workspaces/' : '/sign-in/');
})();
