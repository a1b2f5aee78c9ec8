/// The script every served HTML page loads from `/__overens/reload.js` (the tag is added as
/// the page is sent; the built site never has it). It listens to the server's events and
/// reloads the page after each rebuild. The tag carries the build the page came from, so a
/// rebuild that happened before the event stream connected, or a restarted server, also
/// reloads the page. An external script keeps pages working under their
/// `script-src 'self'` content security policy.
enum ReloadScript {
    static let source = """
        // overens serve: reloads this page when the site is rebuilt. Not part of the built site.
        (function () {
          "use strict";
          var script = document.currentScript;
          var served = script ? script.getAttribute("data-generation") : null;
          if (typeof EventSource === "undefined") return;
          var events = new EventSource("\(Responder.eventsPath)");
          events.addEventListener("hello", function (event) {
            if (served && event.data !== served) { events.close(); location.reload(); }
          });
          // "generation path path ...": reload when this page or any other file (a
          // stylesheet, a script) changed; "*" means anything may have.
          var here = decodeURIComponent(location.pathname).slice(1);
          if (here === "" || here.charAt(here.length - 1) === "/") here += "index.html";
          events.addEventListener("reload", function (event) {
            var changed = event.data.split(" ").slice(1);
            var mine = changed.some(function (path) {
              return path === "*" || path === here || path.slice(-5) !== ".html";
            });
            if (changed.length === 0 || mine) { events.close(); location.reload(); }
          });
        })();

        """
}
