// The deep-linking answer goes back to the learning platform by itself; the button stays for
// a browser without scripts.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-autosubmit]");
  if (form) form.submit();
});
