/* The search page (/recherche and the legacy /recherche-apprentissage, /recherche-emploi,
   /recherche-apprentissage-formation): the form (métier and place autocompletes, radius, diploma), the results of the
   v1 search API grouped by kind with counters, filters, a sort and "voir plus", a detail card per item, and the map
   in step with the list. URL parameters as La Bonne Alternance's widget (reference §5). */
(function () {
  'use strict';

  const W = window.Widget;
  const h = W.h;

  const RADII = [10, 30, 60, 100];
  const WIDER = [10, 30, 60, 100, 200];
  const PAGE = 10;
  const DIPLOMAS = [
    ['', 'Indifférent'],
    ['3 (CAP...)', 'CAP, BEP'],
    ['4 (BAC...)', 'Bac, Bac pro, BP'],
    ['5 (BTS, DEUST...)', 'BTS, DEUST, Bac+2'],
    ['6 (Licence, BUT...)', 'Licence, BUT, Bac+3'],
    ['7 (Master, titre ingénieur...)', 'Master, diplôme d’ingénieur, Bac+5'],
  ];
  const GROUPS = {
    formation: { title: 'Formations', chip: 'Formations', one: 'formation', many: 'formations', tag: 'Formation' },
    offer: { title: 'Offres d’emploi', chip: 'Offres', one: 'offre d’emploi', many: 'offres d’emploi', tag: 'Offre d’emploi' },
    company: { title: 'Entreprises qui recrutent', chip: 'Entreprises', one: 'entreprise', many: 'entreprises', tag: 'Candidature spontanée' },
  };
  const UNNAMED = 'le point indiqué';
  const SORTS = [['distance', 'Les plus proches'], ['recent', 'Les plus récentes'], ['name', 'Ordre alphabétique']];

  function kindOf(item) {
    if (item.ideaType === 'formation') return 'formation';
    if (item.ideaType === 'lba' || item.ideaType === 'lbb') return 'company';
    return 'offer';
  }
  function keyOf(item) {
    return item.ideaType + ':' + item.id;
  }
  function distance(item) {
    return item.place && typeof item.place.distance === 'number' ? item.place.distance : Infinity;
  }
  function coordinates(item) {
    const p = item.place || {};
    const lat = typeof p.latitude === 'string' ? parseFloat(p.latitude) : p.latitude;
    const lon = typeof p.longitude === 'string' ? parseFloat(p.longitude) : p.longitude;
    return typeof lat === 'number' && isFinite(lat) && typeof lon === 'number' && isFinite(lon) ? { lat: lat, lon: lon } : null;
  }
  function companyName(item) {
    return (item.company && item.company.name) || '';
  }
  function place(item) {
    const p = item.place || {};
    return p.fullAddress || p.city || (item.company && item.company.place && item.company.place.city) || '';
  }
  function created(item) {
    const d = item.job && item.job.creationDate ? Date.parse(item.job.creationDate) : NaN;
    return isNaN(d) ? -Infinity : d;
  }
  function sessionStart(item) {
    const s = item.training && item.training.sessions && item.training.sessions[0];
    const d = s ? Date.parse(s.startDate) : NaN;
    return isNaN(d) ? Infinity : d;
  }

  /** Sorted copy: stable, so equal keys keep the API's order. */
  function sorted(items, kind, sort) {
    const list = items.slice();
    if (sort === 'name') {
      const collator = new Intl.Collator('fr', { sensitivity: 'base' });
      list.sort(function (a, b) { return collator.compare(a.title || '', b.title || ''); });
    } else if (sort === 'recent' && kind === 'offer') {
      list.sort(function (a, b) { return created(b) - created(a); });
    } else if (sort === 'recent' && kind === 'formation') {
      list.sort(function (a, b) { return sessionStart(a) - sessionStart(b); });
    } else {
      list.sort(function (a, b) { return distance(a) - distance(b); });
    }
    return list;
  }

  W.pages.search = function (app) {
    /* ---------- State from the URL ---------- */
    const scopeParam = W.param('scope');
    const scope = W.config.scope || (scopeParam === 'job' || scopeParam === 'training' ? scopeParam : 'all');
    const kinds = scope === 'training' ? ['formation'] : scope === 'job' ? ['offer', 'company'] : ['formation', 'offer', 'company'];
    const romesParam = W.param('romes');
    const validRomes = romesParam && /^[A-Za-z][0-9]{4}(,[A-Za-z][0-9]{4})*$/.test(romesParam) ? romesParam.toUpperCase().split(',') : null;
    const radiusParam = parseInt(W.param('radius') || '', 10);
    const diplomaParam = W.param('diploma');
    const state = {
      romes: validRomes,
      rncp: !W.param('frozen_job') && W.param('rncp') ? W.param('rncp') : null,
      jobLabel: W.param('job_name') || (validRomes ? validRomes.join(', ') : ''),
      frozen: W.param('frozen_job') === '1' && !!validRomes,
      place: null,
      radius: RADII.indexOf(radiusParam) >= 0 ? radiusParam : 30,
      diploma: diplomaParam && /^[3-7]/.test(diplomaParam) ? DIPLOMAS[parseInt(diplomaParam[0], 10) - 2][0] : '',
      kind: 'all',
      sort: 'distance',
      results: { formation: [], offer: [], company: [] },
      shown: { formation: PAGE, offer: PAGE, company: PAGE },
      notes: { formation: null, offer: null, company: null },
      open: null,
      searched: false,
      generation: 0,
    };
    const showMap = W.param('displayMap') !== 'false';

    /* ---------- Form ---------- */
    const jobInput = W.input({ id: 'search-job', name: 'job', placeholder: 'Ex. : boulanger, comptabilité', value: state.jobLabel, disabled: state.frozen });
    const placeInput = W.input({ id: 'search-place', name: 'place', placeholder: 'Ville ou code postal', autocomplete: 'off' });
    const radiusSelect = W.select({ id: 'search-radius', name: 'radius' }, RADII.map(function (r) { return [String(r), r + ' km']; }), String(state.radius));
    const diplomaSelect = W.select({ id: 'search-diploma', name: 'diploma' }, DIPLOMAS, state.diploma);
    const jobField = W.field({ label: 'Métier, formation', control: jobInput, required: true });
    const placeField = W.field({ label: 'Lieu', control: placeInput, hint: 'Facultatif : sans lieu, toute la France' });
    const form = h('form', { class: 'search-form', role: 'search', 'aria-label': 'Rechercher', novalidate: true },
      h('div', { class: 'search-form__fields' },
        jobField, placeField,
        W.field({ label: 'Rayon', control: radiusSelect }),
        W.field({ label: 'Niveau de diplôme visé', control: diplomaSelect }),
        h('div', { class: 'search-form__submit' }, h('button', { type: 'submit', class: 'btn' }, 'Rechercher'))));
    let chosenJob = state.romes ? { label: state.jobLabel, romes: state.romes } : null;
    const jobs = W.combobox(jobInput, {
      search: W.searchJobs,
      describe: function (m) { return { label: m.label, detail: null }; },
      select: function (m) { chosenJob = m; jobField.setError(null); },
      changed: function () { chosenJob = null; },
    });
    const places = W.combobox(placeInput, {
      search: W.searchPlaces,
      describe: function (c) { return { label: c.name + ' (' + c.zipcode + ')', detail: null }; },
      select: function (c) { state.place = { lat: c.latitude, lon: c.longitude, label: c.name + ' (' + c.zipcode + ')', insee: c.insee }; },
      changed: function () { state.place = null; },
    });

    form.addEventListener('submit', async function (e) {
      e.preventDefault();
      jobField.setError(null);
      placeField.setError(null);
      if (!state.frozen && !chosenJob && jobInput.value.trim().length >= 2) chosenJob = await jobs.first();
      if (!state.frozen && !chosenJob) {
        jobField.setError(jobInput.value.trim() ? 'Choisissez un métier dans la liste proposée.' : 'Indiquez un métier ou une formation.');
        jobInput.focus();
        return;
      }
      if (!state.place && placeInput.value.trim().length >= 2) {
        const c = await places.first();
        if (!c) {
          placeField.setError('Lieu introuvable : choisissez une commune dans la liste proposée.');
          placeInput.focus();
          return;
        }
        state.place = { lat: c.latitude, lon: c.longitude, label: c.name + ' (' + c.zipcode + ')', insee: c.insee };
        placeInput.value = state.place.label;
      }
      if (!state.frozen) {
        state.romes = chosenJob.romes;
        state.jobLabel = chosenJob.label;
        state.rncp = null;
      }
      state.radius = parseInt(radiusSelect.value, 10);
      state.diploma = diplomaSelect.value;
      remember();
      search();
    });
    radiusSelect.addEventListener('change', function () { if (state.searched) { state.radius = parseInt(radiusSelect.value, 10); remember(); search(); } });
    diplomaSelect.addEventListener('change', function () { if (state.searched) { state.diploma = diplomaSelect.value; remember(); search(); } });

    /** Keeps the search in the page's URL (a reload or a shared link shows it again). */
    function remember() {
      const url = new URL(window.location.href);
      const p = url.searchParams;
      p.set('romes', state.romes.join(','));
      p.set('job_name', state.jobLabel);
      p.set('radius', String(state.radius));
      if (state.diploma) p.set('diploma', state.diploma); else p.delete('diploma');
      if (state.place) {
        p.set('lat', String(state.place.lat));
        p.set('lon', String(state.place.lon));
        if (state.place.insee) p.set('insee', state.place.insee);
      } else {
        ['lat', 'lon', 'insee', 'zipcode'].forEach(function (n) { p.delete(n); });
      }
      p.delete('itemId');
      p.delete('type');
      window.history.replaceState(null, '', url.toString());
    }

    /* ---------- Results area ---------- */
    const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    const chips = h('div', { class: 'chips', role: 'group', 'aria-label': 'Type de résultats affichés' });
    const sortSelect = W.select({ id: 'search-sort' }, SORTS, state.sort);
    sortSelect.addEventListener('change', function () { state.sort = sortSelect.value; renderList(); });
    const mapToggle = h('button', { type: 'button', class: 'btn btn--secondary btn--sm view-toggle', 'aria-pressed': 'false' }, 'Afficher la carte');
    const toolbar = h('div', { class: 'toolbar', hidden: true }, chips,
      h('div', { class: 'btn-group' }, h('label', { class: 'sort', for: 'search-sort' }, 'Trier', sortSelect), showMap ? mapToggle : null));
    const list = h('div', { class: 'results__list' });
    const detail = h('div', { class: 'results__detail', hidden: true });
    const results = h('section', { class: 'results', 'aria-label': 'Résultats' }, list, detail);
    const mapElement = h('div', { id: 'map', class: 'map' });
    const mapPanel = showMap ? h('div', { class: 'map-panel' }, mapElement) : null;
    const layout = h('div', { class: 'search-layout' + (showMap ? '' : ' search-layout--no-map') }, results, mapPanel);
    // On a small screen the form folds into a one-line summary once results are shown.
    const summaryText = h('p', { class: 'search-summary__text' });
    const summary = h('div', { class: 'search-summary', hidden: true }, summaryText,
      h('button', { type: 'button', class: 'btn btn--secondary btn--sm', 'aria-controls': 'search-form', onclick: function () {
        form.classList.remove('is-folded');
        summary.hidden = true;
        jobInput.disabled ? placeInput.focus() : jobInput.focus();
      } }, 'Modifier'));
    form.id = 'search-form';
    function fold() {
      summaryText.textContent = [state.jobLabel, state.place ? state.place.label : 'Toute la France', state.place ? state.radius + ' km' : null].filter(Boolean).join(' · ');
      form.classList.add('is-folded');
      summary.hidden = false;
    }
    W.append(app, [summary, form, status, toolbar, layout]);

    let map = null;
    if (showMap) {
      map = W.ResultMap(mapElement, {
        basemap: W.config.basemap,
        deferBase: !!(state.romes || state.rncp),
        onSelect: function (key) { openCard(key, { fromMap: true }); },
      });
    }
    mapToggle.addEventListener('click', function () {
      const on = !layout.classList.contains('show-map');
      layout.classList.toggle('show-map', on);
      mapToggle.setAttribute('aria-pressed', on ? 'true' : 'false');
      mapToggle.textContent = on ? 'Afficher la liste' : 'Afficher la carte';
      if (on && map) map.resize();
    });

    /* ---------- Searching ---------- */
    function query(radius) {
      const q = { romes: state.romes ? state.romes.join(',') : null, rncp: state.romes ? null : state.rncp, diploma: state.diploma || null };
      if (state.place) {
        q.latitude = state.place.lat;
        q.longitude = state.place.lon;
        q.radius = radius;
      }
      return q;
    }
    function jobsQuery(radius) {
      return Object.assign(query(radius), { opco: W.param('opco'), opcoUrl: W.param('opcoUrl') });
    }

    function slot(value, failures, kind) {
      if (!value) return [];
      if (value.result === 'error' || !Array.isArray(value.results)) {
        failures.push(kind);
        return [];
      }
      return value.results;
    }

    async function search() {
      const generation = ++state.generation;
      state.searched = true;
      state.open = null;
      status.textContent = 'Recherche en cours…';
      const failures = [];
      const found = { formation: [], offer: [], company: [] };
      const notes = { formation: null, offer: null, company: null };
      try {
        if (scope === 'training') {
          const body = await W.get('/api/v1/formations', query(state.radius));
          found.formation = slot(body, failures, 'formation');
        } else if (scope === 'job') {
          const body = await W.get('/api/v1/jobs', jobsQuery(state.radius));
          readJobs(body, found, failures);
        } else {
          const body = await W.get('/api/v1/jobsEtFormations', Object.assign(query(state.radius), { opco: W.param('opco'), opcoUrl: W.param('opcoUrl') }));
          found.formation = slot(body.formations, failures, 'formation');
          if (body.jobs) readJobs(body.jobs, found, failures);
        }
        // The API answers the nearest trainings anywhere when none is within the radius: say so.
        if (state.place && found.formation.length && found.formation.every(function (f) { return distance(f) > state.radius; })) {
          notes.formation = 'Aucune formation à moins de ' + state.radius + ' km : voici les plus proches.';
        }
        // No job opportunity within the radius: widen, as the API widens trainings.
        if (scope !== 'training' && state.place && found.offer.length + found.company.length === 0 && failures.length === 0) {
          for (const wider of WIDER) {
            if (wider <= state.radius) continue;
            if (generation !== state.generation) return;
            const body = await W.get('/api/v1/jobs', jobsQuery(wider));
            readJobs(body, found, failures);
            if (found.offer.length + found.company.length > 0) {
              const note = 'Aucune opportunité d’emploi à moins de ' + state.radius + ' km : voici celles à moins de ' + wider + ' km.';
              notes.offer = notes.company = note;
              break;
            }
          }
        }
      } catch (error) {
        if (generation !== state.generation) return;
        status.textContent = '';
        W.clear(list);
        list.appendChild(W.notice('error', 'La recherche n’a pas abouti', error.message));
        toolbar.hidden = true;
        drawMap([]);
        return;
      }
      if (generation !== state.generation) return;
      state.results = found;
      state.notes = notes;
      state.failures = failures;
      state.shown = { formation: PAGE, offer: PAGE, company: PAGE };
      render();
      fold();
      // What the benchmark measures: the first results are in the page (their markers follow: widget:map).
      if (window.performance && performance.mark) performance.mark('widget:results');
      const itemId = W.param('itemId');
      if (itemId && generation === 1) openFromUrl(itemId, W.param('type'));
    }

    function readJobs(body, found, failures) {
      const matchas = slot(body.matchas, failures, 'offer');
      const peJobs = slot(body.peJobs, failures, 'offer');
      found.offer = matchas.concat(peJobs);
      found.company = slot(body.lbaCompanies, failures, 'company');
    }

    /* ---------- Rendering ---------- */
    function total(kind) {
      return state.results[kind].length;
    }
    function visibleKinds() {
      return kinds.filter(function (k) { return state.kind === 'all' || state.kind === k; });
    }

    function render() {
      const counts = kinds.map(function (k) { return W.plural(total(k), GROUPS[k].one, GROUPS[k].many); });
      const sum = kinds.reduce(function (n, k) { return n + total(k); }, 0);
      status.textContent = sum === 0 ? 'Aucun résultat pour cette recherche.' : counts.join(', ') + (state.place ? ' autour de ' + state.place.label : ' en France');
      W.clear(chips);
      const options = [['all', 'Tout', sum]].concat(kinds.map(function (k) { return [k, GROUPS[k].chip, total(k)]; }));
      if (kinds.length > 1) {
        for (const [value, label, n] of options) {
          chips.appendChild(h('button', {
            type: 'button', class: 'chip', 'aria-pressed': state.kind === value ? 'true' : 'false', 'data-kind': value,
            onclick: function () { state.kind = value; render(); },
          }, label + ' (' + n + ')'));
        }
      }
      toolbar.hidden = false;
      renderList();
    }

    function renderList() {
      closeCard(false);
      W.clear(list);
      if (state.failures && state.failures.length) {
        const all = kinds.every(function (k) { return state.failures.indexOf(k) >= 0; });
        list.appendChild(W.notice('error', null, all ? 'Problème momentané d’accès aux opportunités d’emploi et de formation.' : 'Problème momentané d’accès à certaines opportunités d’emploi ou de formation.'));
      }
      const onMap = [];
      for (const kind of visibleKinds()) {
        const items = sorted(state.results[kind], kind, state.sort);
        const headingId = 'group-' + kind + '-title';
        const group = h('section', { class: 'group', id: 'group-' + kind, 'aria-labelledby': headingId },
          h('div', { class: 'group__head' }, h('h2', { id: headingId }, GROUPS[kind].title), h('span', { class: 'group__count' }, '(' + items.length + ')')));
        if (state.notes[kind]) group.appendChild(W.notice('', null, state.notes[kind]));
        if (items.length === 0) {
          group.appendChild(h('p', { class: 'muted' }, 'Aucun résultat' + (state.place ? ' dans un rayon de ' + state.radius + ' km.' : '.')));
        }
        const ol = h('ol', { class: 'result-list' });
        const shown = Math.min(items.length, state.shown[kind]);
        for (let i = 0; i < shown; i++) {
          ol.appendChild(resultItem(items[i], kind));
          const at = coordinates(items[i]);
          if (at) onMap.push({ key: keyOf(items[i]), kind: kind, title: items[i].title || companyName(items[i]), lat: at.lat, lon: at.lon });
        }
        group.appendChild(ol);
        if (shown < items.length) {
          group.appendChild(h('button', {
            type: 'button', class: 'btn btn--secondary more',
            onclick: function () {
              state.shown[kind] += PAGE;
              renderList();
              const next = list.querySelectorAll('#group-' + kind + ' .result__open')[shown];
              if (next) next.focus();
            },
          }, 'Voir plus de ' + GROUPS[kind].many + ' (' + shown + ' sur ' + items.length + ')'));
        }
        list.appendChild(group);
      }
      drawMap(onMap);
    }

    /** The markers follow in a task of their own: the list is painted first. */
    let mapTask = 0;
    function drawMap(onMap) {
      if (!map) return;
      clearTimeout(mapTask);
      mapTask = setTimeout(function () {
        map.setItems(onMap, state.place && state.place.label !== UNNAMED ? state.place : state.place && { lat: state.place.lat, lon: state.place.lon });
        if (state.open) map.highlight(state.open);
        if (window.performance && performance.mark) performance.mark('widget:map');
      }, 0);
    }

    function resultItem(item, kind) {
      const key = keyOf(item);
      const li = h('li', { class: 'result result--' + kind, 'data-key': key },
        h('p', { class: 'result__kind' }, h('span', { class: 'tag tag--' + (kind === 'formation' ? 'training' : kind) }, GROUPS[kind].tag)),
        h('h3', null, h('button', { type: 'button', class: 'result__open', onclick: function () { openCard(key); } }, item.title || companyName(item) || 'Sans titre')),
        kind !== 'company' && companyName(item) ? h('p', { class: 'result__company' }, companyName(item)) : null,
        kind === 'company' && item.nafs && item.nafs[0] && item.nafs[0].label ? h('p', { class: 'result__company' }, item.nafs[0].label) : null,
        h('p', { class: 'result__place' }, [place(item), W.km(distance(item) === Infinity ? null : distance(item))].filter(Boolean).join(' · ')));
      li.addEventListener('mouseenter', function () { if (map) map.highlight(key); });
      li.addEventListener('mouseleave', function () { if (map && !state.open) map.highlight(null); });
      li.addEventListener('focusin', function () { if (map) map.highlight(key); });
      return li;
    }

    /* ---------- Detail card ---------- */
    let listScroll = 0;

    function findItem(key) {
      for (const kind of kinds) {
        for (const item of state.results[kind]) if (keyOf(item) === key) return { item: item, kind: kind };
      }
      return null;
    }

    function openCard(key, how) {
      const found = findItem(key);
      if (!found) return;
      showCard(found.item, found.kind, how);
    }

    function showCard(item, kind, how) {
      const key = keyOf(item);
      if (!state.open) listScroll = window.scrollY;
      state.open = key;
      W.clear(detail);
      detail.appendChild(card(item, kind));
      list.hidden = true;
      detail.hidden = false;
      if (layout.classList.contains('show-map') && how && how.fromMap) {
        // On a small screen the card replaces the map.
        mapToggle.click();
      }
      if (map) {
        map.highlight(key);
        if (!how || !how.fromMap) map.reveal(key);
      }
      const title = detail.querySelector('.detail__title');
      if (title) title.focus();
      if (results.getBoundingClientRect().top < 0) results.scrollIntoView();
    }

    function closeCard(restoreFocus) {
      if (!state.open) return;
      const key = state.open;
      state.open = null;
      detail.hidden = true;
      W.clear(detail);
      list.hidden = false;
      if (map) map.highlight(null);
      if (restoreFocus) {
        window.scrollTo(0, listScroll);
        const button = list.querySelector('.result[data-key="' + CSS.escape(key) + '"] .result__open');
        if (button) button.focus();
      }
    }

    detail.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') closeCard(true);
    });

    function row(label, value) {
      return value || value === 0 ? [h('dt', null, label), h('dd', null, String(value))] : [];
    }

    function card(item, kind) {
      const job = item.job || {};
      const rows = [];
      const body = [];
      const actions = h('div', { class: 'btn-group' });
      rows.push(row('Adresse', place(item)));
      if (distance(item) !== Infinity) rows.push(row('Distance', W.km(distance(item))));
      if (kind === 'formation') {
        rows.push(row('Niveau', item.diplomaLevel));
        rows.push(row('Diplôme', item.diploma));
        rows.push(row('Certification', item.rncpLabel ? item.rncpLabel + (item.rncpCode ? ' (' + item.rncpCode + ')' : '') : null));
        const sessions = (item.training && item.training.sessions) || [];
        if (sessions.length) {
          rows.push(row('Session', sessions.slice(0, 3).map(function (s) {
            return s.isPermanentEntry ? 'Entrée permanente' : 'du ' + W.date(s.startDate) + ' au ' + W.date(s.endDate);
          }).join(' ; ')));
        }
        rows.push(row('Capacité', item.capacity));
        rows.push(row('Téléphone', item.contact && item.contact.phone));
        if (item.training && item.training.objectif) body.push(section('Objectif', item.training.objectif));
        if (item.training && item.training.description) body.push(section('Contenu', item.training.description));
        if (item.onisepUrl) actions.appendChild(h('a', { class: 'btn btn--secondary', href: item.onisepUrl, target: '_blank', rel: 'noopener' }, 'Fiche ONISEP'));
        const pending = h('p', { class: 'muted small' }, 'Vérification de la prise de rendez-vous…');
        actions.appendChild(pending);
        W.appointmentContext(item.id, 'lba').then(function (context) {
          pending.remove();
          if (context && state.open === keyOf(item)) {
            actions.insertBefore(h('button', { type: 'button', class: 'btn appointment-button', onclick: function () { W.openAppointment(context, 'lba'); } }, 'Demander un rendez-vous'), actions.firstChild);
          }
        });
      } else if (kind === 'offer') {
        rows.push(row('Contrat', job.contractDescription || job.contractType || (job.type || []).join(', ')));
        rows.push(row('Début', W.date(job.jobStartDate)));
        rows.push(row('Durée', job.dureeContrat ? job.dureeContrat + ' mois' : job.duration));
        rows.push(row('Rythme', job.rythmeAlternance));
        rows.push(row('Niveau visé', item.diplomaLevel));
        rows.push(row('Postes', job.quantiteContrat));
        rows.push(row('Publiée le', W.date(job.creationDate)));
        if (job.description) body.push(section('Description du poste', job.description));
        if (job.employeurDescription || (item.company && item.company.description)) body.push(section('L’entreprise', job.employeurDescription || item.company.description));
        if (W.canApply(item)) actions.appendChild(h('button', { type: 'button', class: 'btn apply-button', onclick: function () { W.openApplication(item); } }, 'Postuler'));
        else if (item.url) actions.appendChild(h('a', { class: 'btn', href: item.url, target: '_blank', rel: 'noopener' }, 'Voir l’offre et postuler sur France Travail'));
      } else {
        rows.push(row('Activité', item.nafs && item.nafs[0] && item.nafs[0].label));
        rows.push(row('Taille', item.company && item.company.size));
        rows.push(row('OPCO', item.company && item.company.opco && item.company.opco.label));
        body.push(section('Candidature spontanée', 'Cette entreprise n’a pas publié d’offre mais recrute régulièrement des alternants : envoyez-lui votre candidature.'));
        if (W.canApply(item)) actions.appendChild(h('button', { type: 'button', class: 'btn apply-button', onclick: function () { W.openApplication(item); } }, 'Postuler'));
        else body.push(h('p', { class: 'muted small' }, 'Cette entreprise ne reçoit pas de candidature par ce service.'));
        if (item.company && item.company.url) actions.appendChild(h('a', { class: 'btn btn--secondary', href: item.company.url, target: '_blank', rel: 'noopener' }, 'Site de l’entreprise'));
      }
      return h('article', { class: 'detail', 'data-key': keyOf(item), 'aria-labelledby': 'detail-title' },
        h('button', { type: 'button', class: 'btn btn--tertiary btn--sm detail__back', onclick: function () { closeCard(true); } }, '← Retour aux résultats'),
        h('p', null, h('span', { class: 'tag tag--' + (kind === 'formation' ? 'training' : kind) }, GROUPS[kind].tag)),
        h('h2', { class: 'detail__title', id: 'detail-title', tabindex: '-1' }, item.title || companyName(item)),
        companyName(item) && kind !== 'company' ? h('p', { class: 'detail__company' }, companyName(item)) : null,
        h('dl', { class: 'definition' }, rows),
        body,
        actions);
    }

    function section(title, text) {
      return h('section', null, h('h3', null, title), h('p', { class: 'detail__text' }, text));
    }

    /** `itemId` and `type` in the URL: that item's card, from the results or the item routes. */
    async function openFromUrl(id, type) {
      const ideaType = type === 'training' ? 'formation' : type;
      const found = findItem(ideaType + ':' + id);
      if (found) {
        showCard(found.item, found.kind);
        return;
      }
      try {
        const item = await W.fetchItem(type, id);
        if (item) showCard(item, kindOf(item));
      } catch (e) {
        status.textContent = 'Cet élément n’est plus disponible.';
      }
    }

    /* ---------- Start ---------- */
    async function locate() {
      const lat = parseFloat(W.param('lat') || '');
      const lon = parseFloat(W.param('lon') || '');
      try {
        if (isFinite(lat) && isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
          state.place = { lat: lat, lon: lon, label: W.param('address') || UNNAMED, insee: W.param('insee') };
          // The place's name, for the form (the reference asks a geocoder; the bundled communes answer here).
          W.placeWhere(W.param('insee') ? { insee: W.param('insee') } : { latitude: lat, longitude: lon }).then(function (c) {
            if (c && state.place && state.place.lat === lat) {
              state.place.label = c.name + ' (' + c.zipcode + ')';
              if (!placeInput.value) placeInput.value = state.place.label;
              if (state.searched && status.textContent.indexOf(UNNAMED) >= 0) status.textContent = status.textContent.replace(UNNAMED, state.place.label);
              if (map) map.nameCentre(state.place.label);
              if (!summary.hidden) fold();
            }
          }).catch(function () {});
          return;
        }
        const insee = W.param('insee');
        const zipcode = W.param('zipcode');
        const c = insee ? await W.placeWhere({ insee: insee }) : zipcode ? await W.placeWhere({ q: zipcode }) : W.param('address') ? await W.placeWhere({ q: W.param('address') }) : null;
        if (c) {
          state.place = { lat: c.latitude, lon: c.longitude, label: c.name + ' (' + c.zipcode + ')', insee: c.insee };
          placeInput.value = state.place.label;
        }
      } catch (e) {
        state.place = null;
      }
    }

    /** Without job_name, the ROME codes' own labels name the job in the form. */
    async function nameRomes() {
      if (W.param('job_name') || !state.romes) return;
      try {
        const body = await W.get('/api/v1/metiers', { romes: state.romes.join(','), withRomeLabels: 1 });
        const names = [];
        for (const m of body.labelsAndRomes || []) {
          for (const t of m.romeTitles || []) {
            if (state.romes.indexOf(t.codeRome) >= 0 && names.indexOf(t.intitule) < 0) names.push(t.intitule);
          }
        }
        if (names.length && chosenJob && chosenJob.romes === state.romes) {
          state.jobLabel = chosenJob.label = names.join(', ');
          if (jobInput.value === state.romes.join(', ')) jobInput.value = state.jobLabel;
          if (!summary.hidden) fold();
        }
      } catch (e) { /* the codes stay shown */ }
    }

    (async function () {
      nameRomes();
      const located = locate();
      if (state.romes || state.rncp) {
        await located;
        search();
      } else {
        await located;
        if (map) map.showBase();
        status.textContent = 'Indiquez un métier ou une formation, et un lieu, pour lancer la recherche.';
        if (W.param('itemId') && W.param('type')) openFromUrl(W.param('itemId'), W.param('type'));
      }
    })();
  };
})();
