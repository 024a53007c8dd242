// Project JavaScript, loaded as <script type="module" src="{% static 'js/app.js' %}">.
//
// Everything here is progressive enhancement: every page works without it. It is a module file
// rather than the usual inline snippet because the Content Security Policy blocks inline scripts.
//
// static/js/ and static/build/ are siblings, so with STATIC_URL=/static/ this resolves to
// /static/build/govuk-frontend.min.js (copied there by `make assets`).
import { initAll } from "../build/govuk-frontend.min.js";

// Adds a "Select all" checkbox above a table whose rows have checkboxes:
//
//   <div data-module="app-select-all" data-select-all-label="Select all cases">
//     <table class="govuk-table"> ... <input type="checkbox" class="govuk-checkboxes__input"> ...
//   </div>
//
// Without JavaScript each row keeps its own checkbox, so the form still works.
function initSelectAll(root, index) {
  const rowBoxes = () =>
    Array.from(root.querySelectorAll('tbody input[type="checkbox"]')).filter(
      (box) => !box.disabled,
    );
  if (rowBoxes().length === 0) return;

  const id = `app-select-all-${index}`;
  const wrapper = document.createElement("div");
  wrapper.className = "govuk-checkboxes govuk-checkboxes--small app-select-all__toggle";
  wrapper.innerHTML = `
    <div class="govuk-checkboxes__item">
      <input class="govuk-checkboxes__input" id="${id}" type="checkbox">
      <label class="govuk-label govuk-checkboxes__label" for="${id}"></label>
    </div>`;
  // textContent, not innerHTML, for text that comes from the page.
  wrapper.querySelector("label").textContent =
    root.dataset.selectAllLabel || "Select all";
  root.insertBefore(wrapper, root.firstChild);

  const toggle = wrapper.querySelector("input");

  const sync = () => {
    const boxes = rowBoxes();
    const checked = boxes.filter((box) => box.checked).length;
    toggle.checked = boxes.length > 0 && checked === boxes.length;
    toggle.indeterminate = checked > 0 && checked < boxes.length;
  };

  toggle.addEventListener("change", () => {
    // Read once: each row's change event below calls sync(), which updates the toggle.
    const selectAll = toggle.checked;
    for (const box of rowBoxes()) {
      if (box.checked !== selectAll) {
        box.checked = selectAll;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    sync();
  });

  root.addEventListener("change", (event) => {
    if (event.target !== toggle && event.target.matches('tbody input[type="checkbox"]')) {
      sync();
    }
  });

  sync();
}

document.body.classList.add("js-enabled", "govuk-frontend-supported");
// initAll() does nothing unless <body> has the govuk-frontend-supported class (set above).
initAll();
document.querySelectorAll('[data-module="app-select-all"]').forEach(initSelectAll);
