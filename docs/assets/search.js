// The header's search (overrides/partials/search.html): Pagefind's Component UI, fetched from the
// edition's own pagefind/ folder the first time a reader opens the search, so that no page view pays
// for it. Opens with the header's button, `/` or Ctrl+K (Cmd+K) from anywhere but a text field.
(function () {
  "use strict";

  var opener = document.querySelector("[data-dossier-search]");
  var loading = null;
  // Pagefind's own result template, with a line saying what the result is (the pages'
  // data-pagefind-meta), without a page's sections (on a record page they only repeat it).
  // Its {{ }} escape; {{+ +}} is the excerpt, which Pagefind builds from escaped text and its <mark>s.
  // Kept here, not in the page, where template syntax is never expected (tests/test_site.py).
  var RESULT = [
    '<li class="pf-result"><div class="pf-result-card"><div class="pf-result-content">',
    '<p class="pf-result-title"><a class="pf-result-link" href="{{ meta.url | default(url) | safeUrl }}">',
    '{{ meta.title }}</a></p>',
    '<p class="dossier-search__what">{{ meta.type | default("Page") }}',
    '{{#if meta.date}} · {{ meta.date }}{{/if}}{{#if meta.kind}} · {{ meta.kind }}{{/if}}</p>',
    '{{#if excerpt}}<p class="pf-result-excerpt">{{+ excerpt +}}</p>{{/if}}',
    '</div></div></li>'
  ].join("");

  function add(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) { element[name] = attributes[name]; });
      element.onload = resolve;
      element.onerror = reject;
      document.head.appendChild(element);
    });
  }

  function load() {
    if (!loading) {
      var bundle = opener.getAttribute("data-dossier-search");  // relative URL of the edition's pagefind/
      // The index holds URLs from the edition's root (site/ or site/fr/); the site may be published
      // under a path (site_url).
      // Read once, when the components start: so set before their script runs.
      var root = new URL(bundle + "../", window.location.href).pathname;
      document.querySelector("pagefind-config").setAttribute("base-url", root);
      var template = document.createElement("script");
      template.type = "text/pagefind-template";
      template.textContent = RESULT;
      document.querySelector("pagefind-results").appendChild(template);
      loading = Promise.all([
        add("link", {rel: "stylesheet", href: bundle + "pagefind-component-ui.css"}),
        add("script", {src: bundle + "pagefind-component-ui.js"})
      ]).then(function () {
        var instance = window.PagefindComponents.getInstanceManager().getInstance("default");
        browseOnlyWithFilters(instance);
        filtersOnDemand(instance);
        resultsInPages(instance);
        return customElements.whenDefined("pagefind-modal");
      }).catch(function (error) {
        loading = null;  // a dropped connection: the next try fetches again
        throw error;
      });
    }
    return loading;
  }

  // Pagefind searches with no word ("faceted" mode) by fetching every chunk of the word index, as
  // many bytes as the dossier is large. Faceted from the start, merely opening the search would
  // do that; so it is faceted only while a filter is ticked ("attacks in 2024", no word typed).
  function browseOnlyWithFilters(instance) {
    Object.defineProperty(instance, "faceted", {
      configurable: true,
      get: function () {
        var filters = instance.searchFilters || {};
        return Object.keys(filters).some(function (name) {
          var value = filters[name];
          return Array.isArray(value) ? value.length > 0 : Boolean(value);
        });
      },
      set: function () {}
    });
  }

  // Pagefind's Component UI asks for every filter's values (pagefind.filters()) as soon as it loads,
  // to show their counts: one file per filter, each listing every page it applies to, so together as
  // large as the dossier (116 kB of 367 at 10,000 events). Most readers type a word and never look at
  // them: the UI sees no filters until the reader first opens the filter pane, which loads them then.
  var filtersWanted = false;

  // Give the UI a Pagefind whose filters() answers "none" until the reader wants them.
  function filtersOnDemand(instance) {
    var pagefind = null;
    Object.defineProperty(instance, "__pagefind__", {  // set once, when the UI has loaded pagefind.js
      configurable: true,
      get: function () { return pagefind; },
      set: function (value) {
        if (value) {
          var all = value.filters;
          value.filters = function () { return filtersWanted ? all() : Promise.resolve({}); };
        }
        pagefind = value;
      }
    });
    var pane = document.querySelector(".dossier-search__filters");
    pane.addEventListener("toggle", function () {
      if (pane.open && !filtersWanted) { showFilters(instance, pane); }
    });
  }

  // Load the filters into the pane, then count them again for the query typed, if any.
  function showFilters(instance, pane) {
    filtersWanted = true;
    pane.setAttribute("aria-busy", "true");
    instance.triggerLoad().then(function () {
      return instance.__pagefind__ ? instance.__pagefind__.filters() : null;
    }).then(function (filters) {
      pane.removeAttribute("aria-busy");
      if (!filters) { filtersWanted = false; return; }  // the search did not load: try again next time
      instance.availableFilters = instance.totalFilters = filters;
      instance.__dispatch__("filters", {available: filters, total: filters});
      if (instance.searchTerm) { instance.triggerSearch(instance.searchTerm); }  // the counts for this query
    }, function () {
      pane.removeAttribute("aria-busy");
      filtersWanted = false;
    });
  }

  // Pagefind's results list lays out a placeholder for every result, and watches each for when it
  // scrolls into view: for "bamako" at 10,000 events, 711 of them, and 1.2 s more before the first
  // result showed. The list is given a page of them (its max-results, 30), the button the next page.
  function resultsInPages(instance) {
    var list = document.querySelector("pagefind-results");
    var more = document.querySelector(".dossier-search__more");
    var page = Number(list.getAttribute("max-results")) || 30;
    var shown = page;
    var moreAsked = false;
    instance.on("loading", function () { shown = list.maxResults = page; });  // a new search: its first page
    instance.on("results", function (result) {
      var total = (result && result.results || []).length;
      more.hidden = total <= shown;
      if (moreAsked) { moreAsked = false; focusResult(list, shown - page); }
    });
    more.addEventListener("click", function () {
      shown = list.maxResults = shown + page;
      moreAsked = true;
      instance.__dispatch__("results", instance.searchResult);  // the list again, one page longer
    });
  }

  // Move focus to a result once its placeholder has been filled, so that the reader reads on from it.
  function focusResult(list, index) {
    var tries = 0;
    (function attempt() {
      var item = list.querySelectorAll("li.pf-result")[index];
      var link = item && item.querySelector("a.pf-result-link");
      if (link) { link.focus(); } else if (tries++ < 50) { setTimeout(attempt, 50); }
    })();
  }

  function open() {
    load().then(function () {
      var modal = document.querySelector("pagefind-modal.dossier-search");
      var dialog = modal.querySelector("dialog");
      // Pagefind hears that its dialog closed at the dialog's close event, a task after Esc; until
      // then it thinks itself open and ignores open(): a quick `/` would do nothing.
      if (modal.isOpen && dialog && !dialog.open) {
        dialog.addEventListener("close", function () { modal.open(); }, {once: true});
      } else {
        modal.open();
      }
    });
  }

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  if (!opener) { return; }
  opener.addEventListener("click", open);
  document.addEventListener("keydown", function (event) {
    var shortcut = (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey) ||
      ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k");
    if (!shortcut || event.defaultPrevented || typing(event.target)) { return; }
    event.preventDefault();
    open();
  });
})();
