/**
 * The exact bodies the images answer with, where the training quotes them or the real image is
 * well known: nginx's welcome and error pages, Werkzeug's and Sinatra's 404 pages, the API
 * server's 403 Status, the DockerCoins web UI page, and the few internet sites pods reach.
 */

/** nginx's default page up to 1.20 (612 bytes, image-catalog §4.1). */
export const NGINX_WELCOME_612 = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** nginx's default page from 1.21 (a `color-scheme` style; 615 bytes). */
export const NGINX_WELCOME_615 = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** nginx's error page (`404 Not Found`, `403 Forbidden`); before 1.17 the body had `bgcolor="white"`. */
export function nginxErrorPage(status: string, version: string | undefined): string {
  const old = version !== undefined && compareVersions(version, '1.17.0') < 0;
  const footer = version === undefined ? 'nginx' : `nginx/${version}`;
  return `<html>\r\n<head><title>${status}</title></head>\r\n<body${old ? ' bgcolor="white"' : ''}>\r\n<center><h1>${status}</h1></center>\r\n<hr><center>${footer}</center>\r\n</body>\r\n</html>\r\n`;
}

/** nginx's `/50x.html`. */
export const NGINX_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

/** Werkzeug's 404 page before 2.1 (hello-flask, rng; image-catalog §4.6). */
export const WERKZEUG_404 = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<title>404 Not Found</title>
<h1>Not Found</h1>
<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>
`;

/** Werkzeug's 405 page. */
export const WERKZEUG_405 = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
<title>405 Method Not Allowed</title>
<h1>Method Not Allowed</h1>
<p>The method is not allowed for the requested URL.</p>
`;

/** Sinatra's development-mode 404 page (hasher). */
export function sinatraNotFound(method: string, path: string): string {
  return `<!DOCTYPE html>
<html>
<head>
  <style type="text/css">
  body { text-align:center;font-family:helvetica,arial;font-size:22px;
    color:#888;margin:20px}
  #c {margin:0 auto;width:500px;text-align:left}
  </style>
</head>
<body>
  <h2>Sinatra doesn’t know this ditty.</h2>
  <img src='http://127.0.0.1:80/__sinatra__/404.png'>
  <div id="c">
    Try this:
    <pre>${method.toLowerCase()} &#x27;${path}&#x27; do
  &quot;Hello World&quot;
end
</pre>
  </div>
</body>
</html>
`;
}

/** Go's `http.NotFound` body (Traefik, Go servers). */
export const GO_NOT_FOUND = '404 page not found\n';

/** The cheese page of `errm/cheese:<tag>`. */
export function cheesePage(cheese: string, background: string): string {
  return `<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <title>${cheese}</title>
    <style>
      html {
        background: url(${background}) no-repeat center center fixed;
        background-size: cover;
      }
      h1 {
        font-family: Arial, sans-serif;
        color: #fff;
        text-align: center;
        margin-top: 40vh;
        text-shadow: 0 0 10px #000;
      }
    </style>
  </head>
  <body>
    <h1>${cheese}</h1>
  </body>
</html>
`;
}

/** The Spoon-Knife `index.html` a `git clone` of octocat/Spoon-Knife brings. */
export const SPOON_KNIFE_INDEX = `<!DOCTYPE html>

<html>
<head>
  <meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
  <title>Spoon-Knife</title>
  <LINK href="styles.css" rel="stylesheet" type="text/css">
</head>

<body>

<img src="forkit.gif" id="octocat" alt="" />

<!-- Feel free to change this text here -->
<p>
  Fork me? Fork you, @octocat!
</p>

</body>
</html>
`;

/** The DockerCoins web UI page (`/index.html`). */
export const WEBUI_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>DockerCoin Miner WebUI</title>
<link rel="stylesheet" type="text/css" href="rickshaw.min.css">
<style>
#graph {
  background-color: #eee;
  width: 800px;
  height: 400px;
}
#tweet {
  color: royalblue;
}
</style>
<script src="jquery.js"></script>
<script src="d3.min.js"></script>
<script src="rickshaw.min.js"></script>
<script>

String.prototype.format = function () {
  var args = arguments;
  return this.replace(/\\{(\\d+)\\}/g, function (m, n) { return args[n]; });
};

var series = [];
var points = []
var graph = null;

function refresh () {
  $.ajax({ url: "json" }).done(function (data) {
    series.push(data);
    while (series.length < 250) {
      data = JSON.parse(JSON.stringify(data));
      data.now -= 1;
      series.unshift(data);
    }
    while (series.length > 250) {
      series.shift();
    }
    while (points.length > 0) {
      points.pop();
    }
    var speed;
    for (var i=0; i<series.length-1; i++) {
      // Compute instantaneous speed
      var s1 = series[i];
      var s2 = series[i+1];
      speed = (s2.hashes-s1.hashes)/(s2.now-s1.now);
      points.push({ x: s2.now, y: speed });
    }
    $("#speed").text("~" + speed.toFixed(1) + " hashes/second");
    var msg = ("I'm attending a @docker orchestration workshop, "
               + "and my #DockerCoins mining rig is crunching "
               + speed.toFixed(1) + " hashes/second! W00T!");
    $("#tweet").attr(
      "href",
      "https://twitter.com/intent/tweet?text="+encodeURIComponent(msg)
    );
    if (graph == null) {
      graph = new Rickshaw.Graph({
        renderer: "area",
        stroke: true,
        width: 800,
        height: 400,
        element: $("#graph")[0],
        preserve: true,
        series: [
          { name: "Coins",
            color: "steelblue",
            data: points
          }
        ]
      });
      graph.render();
      var yAxis = new Rickshaw.Graph.Axis.Y({
        graph: graph,
        tickFormat: Rickshaw.Fixtures.Number.formatKMBT,
        ticksTreatment: "glow"
      });
      yAxis.render();
    } else {
      graph.update();
      $("text").css({
        "font-size": "15px",
        "font-weight": "normal",
        "opacity": 0.5,
      });
    }
  });
}

$(function () {
  setInterval(refresh, 1000);
});
</script>
</head>
<body>

<h1>DockerCoin Miner WebUI</h1>

<div id="graph"></div>

<h2>
  Current mining speed:
  <span id="speed">-</span>
  <a id="tweet" href="#">(Tweet this!)</a>
</h2>

</body>
</html>
`;

/** The API server's answer to an anonymous (or unauthorised) request (image-catalog §8.1). */
export function apiServerForbidden(user: string, path: string): string {
  return `{
  "kind": "Status",
  "apiVersion": "v1",
  "metadata": {},
  "status": "Failure",
  "message": "forbidden: User \\"${user}\\" cannot get path \\"${path}\\"",
  "reason": "Forbidden",
  "details": {},
  "code": 403
}`;
}

/** Go's answer when plain HTTP reaches a TLS port. */
export const HTTP_TO_HTTPS = 'Client sent an HTTP request to an HTTPS server.\n';

/** Google's `301 Moved` page (haproxy's backend in the training). */
export const GOOGLE_301 = `<HTML><HEAD><meta http-equiv="content-type" content="text/html;charset=utf-8">
<TITLE>301 Moved</TITLE></HEAD><BODY>
<H1>301 Moved</H1>
The document has moved
<A HREF="http://www.google.com/">here</A>.
</BODY></HTML>
`;

/** A classic `301 Moved Permanently` page (nginx-fronted sites). */
export function movedPermanently(location: string, server = 'nginx'): string {
  return `<html>\r\n<head><title>301 Moved Permanently</title></head>\r\n<body>\r\n<center><h1>301 Moved Permanently</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n<!-- ${location} -->\r\n`;
}

/** Compares dotted versions (`1.13.11` < `1.21.0`); non-numeric parts compare as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((x) => Number.parseInt(x, 10) || 0);
  const pb = b
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
