// Keyboard voting (left/right arrows) and the time-to-answer field. Without JavaScript the buttons still work.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("vote-form");
  if (!form) return;
  const images = Array.from(form.querySelectorAll("img"));
  let shownAt = null;
  let sent = false;
  const markShown = () => {
    if (shownAt === null && images.every((img) => img.complete)) shownAt = performance.now();
  };
  images.forEach((img) => { img.addEventListener("load", markShown); img.addEventListener("error", markShown); });
  markShown();

  form.addEventListener("submit", (event) => {
    if (sent) { event.preventDefault(); return; }  // one vote per page, however fast the clicks
    sent = true;
    if (shownAt !== null) form.elements.elapsed_ms.value = Math.round(performance.now() - shownAt);
    if (event.submitter) event.submitter.classList.add("chosen");
  });

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    const side = { ArrowLeft: "left", ArrowRight: "right" }[event.key];
    if (!side || shownAt === null) return;  // ignore keys until both results are on screen
    event.preventDefault();
    form.requestSubmit(document.getElementById(`choose-${side}`));
  });
});
