// Voting by buttons and arrow keys, the time-to-answer field, and the full-size view (click a picture or press Z;
// both results open at 100 % and pan together; Esc closes; looking never votes). Without JavaScript the buttons
// still work.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("vote-form");
  if (!form) return;
  const images = Array.from(form.querySelectorAll("img.shown"));
  const zoom = document.getElementById("zoom");
  const panes = [document.getElementById("pane-left"), document.getElementById("pane-right")];
  let shownAt = null;
  let sent = false;
  const markShown = () => {
    if (shownAt === null && images.every((img) => img.complete)) shownAt = performance.now();
  };
  images.forEach((img) => { img.addEventListener("load", markShown); img.addEventListener("error", markShown); });
  markShown();

  form.addEventListener("submit", (event) => {
    if (sent || !zoom.hidden) { event.preventDefault(); return; }  // one vote per page; never from the zoom view
    sent = true;
    if (shownAt !== null) form.elements.elapsed_ms.value = Math.round(performance.now() - shownAt);
    if (event.submitter) event.submitter.classList.add("chosen");
  });

  const openZoom = (fraction) => {
    panes.forEach((pane, k) => {
      const img = pane.querySelector("img");
      if (!img.getAttribute("src")) img.src = images[k].dataset.full;  // full PNG only on demand
    });
    zoom.hidden = false;
    document.body.classList.add("zooming");
    // start where the picture was clicked (fraction of its width/height), once the full image has a size
    const pane = panes[0];
    const place = () => {
      pane.scrollLeft = fraction.x * (pane.scrollWidth - pane.clientWidth);
      pane.scrollTop = fraction.y * (pane.scrollHeight - pane.clientHeight);
    };
    const img = pane.querySelector("img");
    if (img.complete) place(); else img.addEventListener("load", place, { once: true });
    document.getElementById("zoom-close").focus();
  };
  const closeZoom = () => {
    zoom.hidden = true;
    document.body.classList.remove("zooming");
  };
  images.forEach((img) => {
    img.addEventListener("click", (event) => {
      const box = img.getBoundingClientRect();
      openZoom({ x: (event.clientX - box.left) / box.width, y: (event.clientY - box.top) / box.height });
    });
    img.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); openZoom({ x: 0.5, y: 0.5 }); }
    });
  });
  document.getElementById("zoom-close").addEventListener("click", closeZoom);
  // synchronised pan: whichever pane scrolls, the other follows to the same position. The follower's own scroll
  // event (the echo) is skipped, so it cannot pull the leader back while the rater is still panning. An echo is
  // expected only when the assignment really moved the follower: one clamped to where it was (its image not loaded
  // yet) fires no event, and a flag waiting for one swallowed the rater's next pan instead.
  let echo = null;
  panes.forEach((pane, k) => pane.addEventListener("scroll", () => {
    if (echo === pane) { echo = null; return; }
    const other = panes[1 - k];
    const before = [other.scrollLeft, other.scrollTop];
    other.scrollLeft = pane.scrollLeft;
    other.scrollTop = pane.scrollTop;
    if (other.scrollLeft !== before[0] || other.scrollTop !== before[1]) echo = other;
  }));

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    if (!zoom.hidden) {
      if (event.key === "Escape" || event.key === "z" || event.key === "Z") { event.preventDefault(); closeZoom(); }
      return;  // arrow keys pan the zoom view; they never vote there
    }
    if (event.key === "z" || event.key === "Z") { event.preventDefault(); openZoom({ x: 0.5, y: 0.5 }); return; }
    const side = { ArrowLeft: "left", ArrowRight: "right" }[event.key];
    if (!side || shownAt === null) return;  // ignore keys until both results are on screen
    event.preventDefault();
    form.requestSubmit(document.getElementById(`choose-${side}`));
  });
});
