# Two commands do all set-up on a fresh machine: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
MKDOCS := $(PY) -m mkdocs

.PHONY: help site test check serve serve-fr build schema golden bench lighthouse lock clean messages

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.runtime: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.lock
	$(PIP) install -r requirements.lock -r requirements-dev.lock
	@touch $@

check: $(VENV)/.runtime ## Validate the data files (every problem, one line each)
	$(PY) build_pages.py check --strict

# npm packages pinned in package-lock.json: uPlot, which the explore page's histogram uses (dossier/explore.py
# copies it into the site), and axe-core for the browser tests' accessibility checks.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install uPlot and axe-core (apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

build: $(VENV)/.runtime node_modules/.installed ## Validate and generate the pages under docs/
	$(PY) build_pages.py build --strict

# `build` has just generated the pages, so the hook is told not to again (20 s at 10,000 events);
# it still pins SOURCE_DATE_EPOCH to the last commit, so the same commit gives a byte-identical site/.
# Two editions (I18N.md): English into site/, then French into site/fr/ (mkdocs.fr.yml); in that
# order, as the English build cleans site/. Then Pagefind indexes each edition into its own bundle,
# site/pagefind/ and site/fr/pagefind/ (dossier/searchindex.py).
site: build ## Set up, validate, generate and build the site (English, then French under fr/), with its search index
	DOSSIER_SKIP_GENERATE=1 NO_MKDOCS_2_WARNING=1 $(MKDOCS) build --strict
	DOSSIER_SKIP_GENERATE=1 NO_MKDOCS_2_WARNING=1 $(MKDOCS) build --strict -f mkdocs.fr.yml
	$(PY) -m dossier.searchindex site

# --no-strict: a dirty rebuild always warns, and strict mode (mkdocs.yml) would abort the preview.
# The hook re-indexes the site for search in the background once a rebuild leaves it settled.
serve: $(VENV)/.runtime node_modules/.installed ## Preview the site with live reload (regenerates on data/ and templates/ changes)
	NO_MKDOCS_2_WARNING=1 $(MKDOCS) serve --dirtyreload --no-strict

# `serve` previews the English edition only, live: MkDocs serves one edition, and the French pages
# load the site's files from the English edition's root. To see both, build them and serve site/
# (no live reload: run it again after an edit).
PORT ?= 8000
serve-fr: site ## Build both editions and serve site/ as built (French at /fr/), without live reload
	@echo "English: http://127.0.0.1:$(PORT)/   French: http://127.0.0.1:$(PORT)/fr/"
	$(PY) -m http.server --bind 127.0.0.1 --directory site $(PORT)

schema: $(VENV)/.runtime ## Write the JSON Schemas of the data files into schema/
	$(PY) build_pages.py schema

# cffconvert validates CITATION.cff; it pins an old jsonschema that conflicts with the test tools,
# so it gets its own environment.
.venv-cff/.installed: requirements-cff.lock
	rm -rf .venv-cff && $(PYTHON) -m venv .venv-cff
	.venv-cff/bin/python -m pip --disable-pip-version-check -q install -r requirements-cff.lock
	@touch $@

test: $(VENV)/.dev node_modules/.installed .venv-cff/.installed ## Set up and run the whole test suite
	$(PY) -m pytest

# The template (locales/messages.pot) and the compiled .mo files are not committed: the build compiles
# each .po in memory (dossier/i18n.py); `compile` here checks the .po and counts what is untranslated.
# Locations name files, not lines, so that editing the code does not rewrite the catalogues. Only the
# translations are updated (-l fr): English's catalogue holds a few display labels ('PMC'), kept by hand.
PYBABEL := $(PY) -m babel.messages.frontend

messages: $(VENV)/.runtime ## Extract the interface messages, update each locales/*/messages.po, compile them
	$(PYBABEL) extract -F babel.cfg -k N_ -k NP_:1c,2 --sort-by-file --add-location=file --project "Sahel Arms Dossier" \
	  --copyright-holder "Sahel Arms Dossier contributors" -o locales/messages.pot .
	$(PYBABEL) update -i locales/messages.pot -d locales -D messages -l fr --ignore-pot-creation-date
	$(PYBABEL) compile -d locales -D messages --statistics

golden: $(VENV)/.dev ## Refresh the golden pages after an intended change to the output
	$(PY) -m pytest tests/test_golden.py --update-golden

bench: $(VENV)/.dev ## Measure `make site` at 1,000 and 10,000 events against its floor (bare Material, no search)
	$(PY) -m bench

# Needs a built site/ (make site) and npx (Lighthouse 12.2.3 is fetched into npm's cache on first use).
lighthouse: $(VENV)/.dev ## Lighthouse budgets on site/ (issue 16): each page type 3 times, medians, what cost points
	$(PY) -m bench.lighthouse site/ --why

lock: ## Re-resolve the pinned dependencies from requirements*.in
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install -q -r requirements.in
	(echo "# Generated by 'make lock' from requirements.in. Do not edit by hand."; .lockenv/bin/pip freeze) > requirements.lock
	.lockenv/bin/pip install -q -r requirements.lock -r requirements-dev.in
	(echo "# Generated by 'make lock' from requirements-dev.in (test tools). Install with requirements.lock."; \
	 .lockenv/bin/pip freeze | grep -vxFf requirements.lock) > requirements-dev.lock
	rm -rf .lockenv

clean: ## Remove the environment, generated pages and the built site
	rm -rf $(VENV) .venv-cff site .pytest_cache
	$(PY) build_pages.py clean 2>/dev/null || true
