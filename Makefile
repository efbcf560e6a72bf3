# Developer verbs. `make run` and `make test` are all a fresh clone needs (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000
# pytest-xdist processes for `make test` (each with its own test database and Redis database).
TEST_WORKERS ?= 2

.PHONY: run test tour lint format assets messages bench worker clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# Front-end packages for the tests (axe-core); optional: browser tests say so if it is missing.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped"; fi

run: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Serving Cymuned at http://127.0.0.1:$(PORT)/ (stop with Ctrl+C)"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The screenshot tour: each role's journey at phone width in English and Welsh, seeded from the
# demo into a test database; writes docs/tour/*.png and docs/tour.md (needs Chromium).
tour: $(VENV)/.installed node_modules/.installed
	$(VENV)/bin/pytest tests/tour.py -p no:randomly -q -p no:cacheprovider

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Rebuild the vendored front end from npm: compiled CSS and GOV.UK Frontend's script + licence.
assets: node_modules/.installed
	npx sass --load-path=node_modules --style=compressed --no-source-map \
		static/src/cymuned.scss static/css/cymuned.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/vendor/govuk-frontend/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js node_modules/leaflet.markercluster/dist/MarkerCluster*.css static/vendor/leaflet.markercluster/
	cp node_modules/leaflet.markercluster/MIT-LICENCE.txt static/vendor/leaflet.markercluster/LICENCE.txt
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chart.js/
	cp node_modules/chart.js/LICENSE.md static/vendor/chart.js/LICENCE.md
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.css static/vendor/accessible-autocomplete/
	cp node_modules/accessible-autocomplete/LICENSE.txt static/vendor/accessible-autocomplete/LICENCE.txt
	# The source maps are not vendored: drop the references, or collectstatic's manifest storage
	# fails on the missing files.
	sed -i 's|//# sourceMappingURL=.*$$||' static/vendor/govuk-frontend/govuk-frontend.min.js static/vendor/leaflet.markercluster/leaflet.markercluster.js \
		static/vendor/chart.js/chart.umd.min.js static/vendor/accessible-autocomplete/accessible-autocomplete.min.js
	sed -i 's|/\*# sourceMappingURL=.*\*/||' static/vendor/accessible-autocomplete/accessible-autocomplete.min.css


# Update the Welsh catalogue after changing text, then compile it (commit both files).
messages: $(VENV)/.installed
	$(MANAGE) makemessages --locale cy --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore '*/tests/*' --ignore 'tests/*'
	$(MANAGE) compilemessages --locale cy --ignore '.venv/*'

worker: $(VENV)/.installed
	@echo "Development worker (Ctrl-C stops it). In production the worker and one beat run under"
	@echo "a supervisor that restarts them: docker compose (restart: unless-stopped) or the systemd"
	@echo "units in docs/operations.md, e.g. celery -A config worker --loglevel=INFO --concurrency=2"
	$(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=2

bench: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -e '.[bench]'
	@# Helpers of the benchmarks are not benchmarks: the database helper, pages.py's settings
	@# and load generator.
	@for f in bench/*.py; do case $$f in */throwaway.py|*_settings.py|*_load.py) continue;; esac; \
		echo "== $$f"; $(PY) $$f; done

clean:
	rm -rf $(VENV) node_modules staticfiles
