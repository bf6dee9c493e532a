// CloudFront Function (viewer request, runtime cloudfront-js-2.0) in front of the portal bucket.
// The site has its own top-level folders; every other first path segment is a workspace slug
// (/acme/members/) served by the one workspace page tree under /w/ (/w/members/index.html).
var SITE_FOLDERS = ['sign-in', 'workspaces', 'invitations', 'tokens', 'users', 'w', 'css', 'js', 'img'];

function hasExtension(uri) {
    var last = uri.substring(uri.lastIndexOf('/') + 1);
    return last.indexOf('.') !== -1;
}

function rewrite(uri) {
    if (uri === '' || uri === '/') {
        return '/index.html';
    }
    if (hasExtension(uri)) {
        return uri;
    }
    var firstEnd = uri.indexOf('/', 1);
    var first = firstEnd === -1 ? uri.substring(1) : uri.substring(1, firstEnd);
    var path = uri;
    if (SITE_FOLDERS.indexOf(first) === -1) {
        path = '/w' + (firstEnd === -1 ? '' : uri.substring(firstEnd));
    }
    if (path.charAt(path.length - 1) !== '/') {
        path = path + '/';
    }
    return path + 'index.html';
}

function handler(event) {
    var request = event.request;
    request.uri = rewrite(request.uri);
    return request;
}
