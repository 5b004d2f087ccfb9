// Privacy-friendly video: nothing from the video host loads until the reader asks for it.
(function () {
  "use strict";
  function embedUrl(href) {
    var url;
    try { url = new URL(href); } catch (e) { return null; }
    var id = null;
    if (/(^|\.)youtube\.com$/.test(url.hostname)) id = url.searchParams.get("v");
    if (url.hostname === "youtu.be") id = url.pathname.slice(1);
    if (id && /^[A-Za-z0-9_-]{6,20}$/.test(id)) return "https://www.youtube-nocookie.com/embed/" + id;
    var vimeo = /(^|\.)vimeo\.com$/.test(url.hostname) && url.pathname.match(/^\/(\d+)/);
    if (vimeo) return "https://player.vimeo.com/video/" + vimeo[1] + "?dnt=1";
    return null;
  }
  document.querySelectorAll(".video-facade").forEach(function (box) {
    var src = embedUrl(box.getAttribute("data-video"));
    if (!src) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = "Play the video here";
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = src;
      frame.title = "Exercise tutorial video";
      frame.loading = "lazy";
      frame.allow = "accelerometer; encrypted-media; gyroscope; picture-in-picture; fullscreen";
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      box.replaceChildren(frame);
      box.classList.add("playing");
    });
    box.querySelector("p:last-child").append(" ", button);
  });
})();
