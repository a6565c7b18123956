/* /test-widget: choose a scope, a size and the parameters, copy the snippet, see the widget live in its iframe (and
   the messages it posts to its host page); the same for the recruiter's widget. */
(function () {
  'use strict';

  const W = window.Widget;
  const h = W.h;

  const SCOPES = [
    ['all', 'Formations et emplois', '/recherche-apprentissage'],
    ['job', 'Emplois seulement', '/recherche-emploi'],
    ['training', 'Formations seulement', '/recherche-apprentissage-formation'],
  ];
  const SIZES = [
    ['mobile', 'Mobile (320 × 640)', '320', '640'],
    ['tablet', 'Tablette (768 × 720)', '768', '720'],
    ['desktop', 'Ordinateur (100 % × 800)', '100%', '800'],
  ];

  function snippet(src, width, height, title) {
    return '<iframe src="' + src + '" width="' + width + '" height="' + height + '" title="' + title + '"\n'
      + '        style="border: 0; max-width: 100%" loading="lazy"></iframe>';
  }

  W.pages['test-widget'] = function (app) {
    const origin = window.location.origin;
    const state = { romes: 'M1607', jobName: 'Secrétariat', lat: '48.8566', lon: '2.3522', placeLabel: 'Paris (75001)' };

    const jobInput = W.input({ value: state.jobName, autocomplete: 'off' });
    const placeInput = W.input({ value: state.placeLabel, autocomplete: 'off' });
    // A combobox wraps its input where it stands: the fields first.
    const jobField = W.field({ label: 'Métier', control: jobInput });
    const placeField = W.field({ label: 'Lieu', control: placeInput });
    W.combobox(jobInput, {
      search: W.searchJobs,
      describe: function (m) { return { label: m.label }; },
      select: function (m) { state.romes = m.romes.slice(0, 3).join(','); state.jobName = m.label; },
    });
    W.combobox(placeInput, {
      search: W.searchPlaces,
      describe: function (c) { return { label: c.name + ' (' + c.zipcode + ')' }; },
      select: function (c) { state.lat = String(c.latitude); state.lon = String(c.longitude); state.placeLabel = c.name + ' (' + c.zipcode + ')'; },
    });
    const scope = W.select({ name: 'scope' }, SCOPES.map(function (s) { return [s[0], s[1]]; }), 'all');
    const size = W.select({ name: 'size' }, SIZES.map(function (s) { return [s[0], s[1]]; }), 'desktop');
    const caller = W.input({ name: 'caller', value: 'mon-site', autocomplete: 'off' });
    const radius = W.select({ name: 'radius' }, [['10', '10 km'], ['30', '30 km'], ['60', '60 km'], ['100', '100 km']], '30');
    const color = W.input({ name: 'color', value: '', placeholder: 'Ex. : 006e5a', autocomplete: 'off' });
    const logo = W.input({ name: 'logo', type: 'url', value: '', placeholder: 'https://mon-site.fr/logo.png', autocomplete: 'off' });
    const returnUri = W.input({ name: 'return_uri', value: '/', autocomplete: 'off' });
    const map = W.select({ name: 'displayMap' }, [['true', 'Oui'], ['false', 'Non']], 'true');

    const code = h('code', { class: 'snippet', id: 'search-snippet' });
    const frameBox = h('div', { class: 'frame-box' });
    const messages = h('ul', { class: 'small', 'aria-live': 'polite' });
    const form = h('form', { class: 'card-box', novalidate: true },
      h('div', { class: 'form-grid' },
        W.field({ label: 'Périmètre', control: scope }),
        W.field({ label: 'Taille', control: size }),
        W.field({ label: 'Identifiant du site (caller)', control: caller, hint: 'Obligatoire pour appeler l’API' }),
        jobField,
        placeField,
        W.field({ label: 'Rayon', control: radius }),
        W.field({ label: 'Couleur principale (hexadécimal)', control: color }),
        W.field({ label: 'Logo du site (URL https)', control: logo }),
        W.field({ label: 'Adresse de retour (return_uri)', control: returnUri }),
        W.field({ label: 'Afficher la carte', control: map })),
      h('div', { class: 'btn-group' }, h('button', { type: 'submit', class: 'btn' }, 'Mettre à jour l’aperçu')));

    function update() {
      const s = SCOPES.find(function (x) { return x[0] === scope.value; });
      const z = SIZES.find(function (x) { return x[0] === size.value; });
      const p = new URLSearchParams({ caller: caller.value.trim() || 'mon-site', romes: state.romes, job_name: state.jobName, lat: state.lat, lon: state.lon, radius: radius.value });
      if (color.value.trim()) p.set('color', color.value.trim().replace('#', ''));
      if (logo.value.trim()) p.set('return_logo_url', logo.value.trim());
      if (returnUri.value.trim()) p.set('return_uri', returnUri.value.trim());
      if (map.value === 'false') p.set('displayMap', 'false');
      const path = s[2] + '?' + p.toString();
      const title = 'Recherche de ' + (s[0] === 'job' ? 'emplois' : s[0] === 'training' ? 'formations' : 'formations et d’emplois') + ' en alternance';
      code.textContent = snippet(origin + path, z[2], z[3], title);
      W.clear(frameBox);
      frameBox.appendChild(h('iframe', { src: path, width: z[2], height: z[3], title: title, id: 'search-frame' }));
    }
    form.addEventListener('submit', function (e) { e.preventDefault(); update(); });

    const recruiterOrigin = W.input({ value: 'mon-site', autocomplete: 'off' });
    const recruiterCode = h('code', { class: 'snippet' });
    const recruiterBox = h('div', { class: 'frame-box' });
    function updateRecruiter() {
      const value = (recruiterOrigin.value.trim() || 'mon-site').replace(/[^A-Za-z0-9_-]/g, '');
      const path = '/espace-pro/widget/' + value;
      recruiterCode.textContent = snippet(origin + path, '100%', '900', 'Déposer une offre d’alternance');
      W.clear(recruiterBox);
      recruiterBox.appendChild(h('iframe', { src: path, width: '100%', height: '900', title: 'Déposer une offre d’alternance' }));
    }
    const recruiterForm = h('form', { class: 'card-box', novalidate: true },
      W.field({ label: 'Origine (identifiant de votre site)', control: recruiterOrigin, hint: 'Lettres, chiffres, - et _' }),
      h('button', { type: 'submit', class: 'btn' }, 'Mettre à jour l’aperçu'));
    recruiterForm.addEventListener('submit', function (e) { e.preventDefault(); updateRecruiter(); });

    window.addEventListener('message', function (e) {
      if (e.origin !== origin || !e.data || typeof e.data !== 'object') return;
      messages.appendChild(h('li', null, 'Message reçu du widget : ' + JSON.stringify(e.data)));
    });

    W.append(app, [
      h('p', null, 'Copiez le code ci-dessous dans une page de votre site. Le widget s’affiche sans en-tête ni pied de page dans un cadre ; '
        + 'le paramètre caller identifie votre site auprès de l’API. Sans paramètre romes, le widget affiche le formulaire de recherche.'),
      h('h2', null, 'Recherche de formations et d’emplois'),
      form,
      h('h3', null, 'Code à intégrer'),
      code,
      h('p', { class: 'small' }, 'Le logo du site (return_logo_url) renvoie à return_uri : dans un cadre, le widget envoie à la page hôte le message '
        + '{ type: "goToPage", page: return_uri } (window.postMessage), à traiter ainsi :'),
      h('code', { class: 'snippet' }, "window.addEventListener('message', function (e) {\n  if (e.origin === '" + origin + "' && e.data && e.data.type === 'goToPage') window.location.href = e.data.page;\n});"),
      messages,
      h('h3', null, 'Aperçu'),
      frameBox,
      h('h2', null, 'Dépôt d’offre par un recruteur'),
      recruiterForm,
      h('h3', null, 'Code à intégrer'),
      recruiterCode,
      h('h3', null, 'Aperçu'),
      recruiterBox,
    ]);
    update();
    updateRecruiter();
  };
})();
