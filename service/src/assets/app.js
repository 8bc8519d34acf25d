// The app's own script, loaded in <head> before the first paint (not deferred), so that no page
// is ever painted in the wrong colours. The server renders the stored colour mode into
// <html data-bs-theme>: "light" or "dark" stay; "auto" becomes the system's, and follows it.
(() => {
  const root = document.documentElement;
  const choice = root.getAttribute("data-bs-theme") || "auto";
  root.setAttribute("data-et-theme", choice);
  if (choice === "auto") {
    const dark = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => root.setAttribute("data-bs-theme", dark.matches ? "dark" : "light");
    follow();
    dark.addEventListener("change", follow);
  }
  // The service worker: the hashed assets and an offline page, never a page with money on it.
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", () => {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    });
  }
})();
