/* Names the comboboxes that select2 builds for the admin's autocomplete fields (WCAG 4.1.2).
 *
 * select2 hides the real <select> and draws its own combobox next to it, named only by the
 * value shown: an empty field has no name at all, and the search box of a multiple choice
 * none either. Each widget is named after its field: the <label for> of the <select>, or the
 * aria-label the project's inlines give their controls (core.admin.base). The "clear all"
 * cross that select2 puts inside its list of choices is mouse-only (Backspace clears from the
 * keyboard), so it is hidden from screen readers rather than breaking the list.
 * Loaded by core.admin.widgets with the autocomplete widgets; no inline script (CSP).
 */
"use strict";
(function () {
  function fieldName(select) {
    var name = select.getAttribute("aria-label");
    if (!name && select.id) {
      var label = document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
      if (label) {
        name = label.textContent.replace(/[:：]\s*$/, "").trim();
      }
    }
    return name || "";
  }

  function nameWidget(container) {
    var select = container.previousElementSibling;
    if (!select || select.tagName !== "SELECT") {
      return;
    }
    var name = fieldName(select);
    if (!name) {
      return;
    }
    container.querySelectorAll(".select2-selection, .select2-selection__rendered[role], .select2-search__field").forEach(
      function (element) {
        element.setAttribute("aria-label", name);
      }
    );
    hideClearCrosses(container);
  }

  function hideClearCrosses(root) {
    root.querySelectorAll(".select2-selection__clear").forEach(function (element) {
      element.setAttribute("aria-hidden", "true");
    });
  }

  function visit(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    if (node.matches(".select2-container")) {
      nameWidget(node);
    } else if (node.matches(".select2-selection__clear")) {
      node.setAttribute("aria-hidden", "true");
    } else {
      node.querySelectorAll(".select2-container").forEach(nameWidget);
      if (node.closest(".select2-container")) {
        nameWidget(node.closest(".select2-container"));
      }
    }
  }

  // select2 builds its widgets when the page is ready and again for each row added to an
  // inline, and redraws the choices after every change: watch the document for them.
  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(visit);
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
