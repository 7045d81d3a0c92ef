// The deep-linking answer goes back to the learning platform by itself; the button stays for
// a browser without scripts.
function returnToPlatform() {
  const form = document.querySelector("form[data-autosubmit]");
  if (form) form.submit();
}
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", returnToPlatform);
} else {
  returnToPlatform();
}
