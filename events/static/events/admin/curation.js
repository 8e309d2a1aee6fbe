/* The meeting page: a statement's highlight follows its fields as they are edited, words
   selected in the readout can become a new statement (its own page opens with the meeting,
   the source and the span filled in), and the rows' autocompletes start here, with the
   settings they share written once on the page (events/admin/widgets.py). Plain script,
   no build step. */
"use strict";
(function () {
  function startAutocompletes(root) {
    const settings = document.getElementById("curation-settings");
    const $ = window.django && window.django.jQuery;
    if (!settings || !$ || !$.fn.djangoAdminSelect2) {
      return;
    }
    root.querySelectorAll("select.lazy-autocomplete").forEach(function (select) {
      if (select.name.indexOf("__prefix__") !== -1 || select.classList.contains("admin-autocomplete")) {
        return;
      }
      const group = select.closest("[data-model-name]");
      const shared = {
        "data-model-name": group ? group.dataset.modelName : "",
        "data-field-name": select.name.replace(/^.*-/, ""),
        "data-allow-clear": select.hasAttribute("data-required") ? "false" : "true",
        "data-ajax--url": settings.dataset.autocompleteUrl,
        "data-ajax--cache": "true",
        "data-ajax--delay": "250",
        "data-ajax--type": "GET",
        "data-app-label": settings.dataset.appLabel,
        "data-theme": "admin-autocomplete",
        "data-placeholder": "",
        "lang": settings.dataset.lang
      };
      Object.keys(shared).forEach(function (name) {
        select.setAttribute(name, shared[name]);
      });
      select.classList.add("admin-autocomplete");
      $(select).djangoAdminSelect2();
    });
  }

  function fillOptions(select) {
    // A `SharedOptionsSelect` carries its selected option only: the list is on the page once.
    if (!select.dataset.options || select.dataset.filled) {
      return;
    }
    const template = document.getElementById("options-" + select.dataset.options);
    if (!template) {
      return;
    }
    const chosen = Array.from(select.selectedOptions).map(function (option) { return option.value; });
    select.replaceChildren(template.content.cloneNode(true));
    Array.from(select.options).forEach(function (option) {
      option.selected = chosen.indexOf(option.value) !== -1;
    });
    select.dataset.filled = "true";
  }

  ["focusin", "pointerdown", "keydown"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target instanceof HTMLSelectElement) {
        fillOptions(event.target);
      }
    }, true);
  });

  function labelOf(select) {
    const option = select && select.options[select.selectedIndex];
    return option ? option.text.replace(/ \([^)]*\)$/, "") : "";
  }

  function refreshMark(row) {
    const mark = row.querySelector("mark.readout-statement");
    const kind = row.querySelector("select[name$='-kind']");
    const saidBy = row.querySelector("select[name$='-said_by']");
    if (!mark || !kind) {
      return;
    }
    mark.className = mark.className.replace(/readout-kind-\S+/, "readout-kind-" + kind.value);
    mark.dataset.label = labelOf(kind) + " · " + labelOf(saidBy);
    row.classList.add("changed");
  }

  function offsetIn(node, offset) {
    // Text nodes sit directly in an element that says where it starts in the source.
    const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const holder = element && element.closest("[data-offset]");
    if (!holder || holder.firstChild !== node) {
      return null;
    }
    return Number(holder.dataset.offset) + offset;
  }

  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount !== 1) {
      return null;
    }
    const range = selection.getRangeAt(0);
    const container = range.commonAncestorContainer;
    const element = container.nodeType === Node.TEXT_NODE ? container.parentElement : container;
    if (!element || !element.closest(".readout-statements")) {
      return null;
    }
    const start = offsetIn(range.startContainer, range.startOffset);
    const end = offsetIn(range.endContainer, range.endOffset);
    const text = (range.startContainer.parentElement || element).closest("[data-source]");
    if (start === null || end === null || end <= start || !text) {
      return null;
    }
    return { source: text.dataset.source, start: start, end: end, rect: range.getBoundingClientRect() };
  }

  function setUpSelection(group) {
    const button = document.createElement("a");
    button.id = "statement-from-selection";
    button.className = "button";
    button.hidden = true;
    button.textContent = group.dataset.addLabel || "Add a statement for these words";
    document.body.appendChild(button);
    document.addEventListener("selectionchange", function () {
      const span = selectedSpan();
      if (!span) {
        button.hidden = true;
        return;
      }
      const heading = document.getElementById("readout-source-" + span.source);
      if (!heading) {
        button.hidden = true;
        return;
      }
      button.href = heading.dataset.addUrl + "&start=" + span.start + "&end=" + span.end;
      button.style.top = window.scrollY + span.rect.bottom + 6 + "px";
      button.style.left = window.scrollX + span.rect.left + "px";
      button.hidden = false;
    });
  }

  document.addEventListener("formset:added", function (event) {
    startAutocompletes(event.target);
  });

  document.addEventListener("DOMContentLoaded", function () {
    startAutocompletes(document);
    const group = document.querySelector(".readout-statements");
    if (!group) {
      return;
    }
    group.addEventListener("change", function (event) {
      const row = event.target.closest(".statement-row");
      if (row && /-(kind|said_by)$/.test(event.target.name || "")) {
        refreshMark(row);
      }
    });
    setUpSelection(group);
  });
})();
