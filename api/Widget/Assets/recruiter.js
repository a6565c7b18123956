/* The recruiter's offer form (/espace-pro/widget/{origin}), in three steps: the SIRET (checked against the companies
   feed), the contact (creates the establishment; the API answers a token for this browser), the offer (appellation
   autocomplete, level, dates, contract) posted through the widget's recruiter routes. */
(function () {
  'use strict';

  const W = window.Widget;
  const h = W.h;

  const LEVELS = [
    'Indifférent',
    'Cap, autres formations niveau (Infrabac)',
    'BP, Bac, autres formations niveau (Bac)',
    'BTS, DEUST, autres formations niveau (Bac+2)',
    'Licence, autres formations niveau (Bac+3)',
    'Master, titre ingénieur, autres formations niveau (Bac+5)',
  ];
  const RYTHMS = ['Indifférent', '1 jour / 4 jours', '2 jours / 3 jours', '1 semaine / 1 semaine', '2 semaines / 3 semaines', '6 semaines / 6 semaines'];

  function today() {
    // The API's day changes at midnight in Paris.
    const parts = new Intl.DateTimeFormat('fr-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    return parts.slice(0, 10);
  }

  W.pages.recruiter = function (app) {
    const origin = decodeURIComponent(window.location.pathname.split('/').filter(Boolean).pop() || '');
    const base = '/api/widget/recruiters/' + encodeURIComponent(origin);
    const state = { company: null, recruiter: null, token: null };
    const stepText = h('p', { class: 'steps', 'aria-live': 'polite' });
    const progress = h('div', { class: 'progress', 'aria-hidden': 'true' }, h('span'));
    const stage = h('div', { class: 'stage' });
    app.appendChild(h('div', { class: 'form-narrow' },
      h('p', null, 'Publiez gratuitement votre offre d’alternance : elle est visible dans les résultats de recherche dès sa validation.'),
      stepText, progress, stage));

    function step(n, title, content) {
      stepText.textContent = 'Étape ' + n + ' sur 3 : ' + title;
      progress.className = 'progress progress--' + n;
      W.clear(stage);
      const heading = h('h2', { tabindex: '-1' }, title);
      stage.appendChild(heading);
      W.append(stage, content);
      return heading;
    }

    /* Step 1: the SIRET */
    function siretStep(focus) {
      const form = W.form([
        {
          name: 'siret', label: 'Numéro SIRET de l’établissement', required: true, hint: '14 chiffres, sur un bulletin de paie ou un extrait Kbis',
          attrs: { inputmode: 'numeric', autocomplete: 'off' },
          check: function (v) { return /^[0-9]{14}$/.test(v.replace(/\s/g, '')) ? null : 'Le SIRET compte 14 chiffres.'; },
        },
      ], 'Continuer', async function (values) {
        const siret = values.siret.replace(/\s/g, '');
        state.company = await W.get(base + '/siret/' + encodeURIComponent(siret));
        contactStep();
      });
      const heading = step(1, 'Votre entreprise', form.form);
      if (focus) heading.focus();
    }

    function companyBox() {
      const c = state.company;
      return h('div', { class: 'card-box company-box' },
        h('p', null, h('strong', null, c.establishment_enseigne || c.establishment_raison_sociale || '')),
        c.establishment_enseigne && c.establishment_raison_sociale ? h('p', { class: 'small' }, c.establishment_raison_sociale) : null,
        h('p', { class: 'small muted' }, ['SIRET ' + c.establishment_siret, c.address, c.naf_label].filter(Boolean).join(' · ')));
    }

    /* Step 2: the contact, which creates the establishment */
    function contactStep() {
      const form = W.form([
        { name: 'first_name', label: 'Prénom', required: true, attrs: { autocomplete: 'given-name' } },
        { name: 'last_name', label: 'Nom', required: true, attrs: { autocomplete: 'family-name' } },
        { name: 'email', label: 'Adresse e-mail', type: 'email', required: true, attrs: { autocomplete: 'email' }, hint: 'Les candidatures vous seront envoyées à cette adresse.' },
        {
          name: 'phone', label: 'Téléphone', type: 'tel', attrs: { autocomplete: 'tel' }, hint: 'Facultatif. Exemple : 01 23 45 67 89',
          check: function (v) { return /^0[1-9][0-9]{8}$/.test(v.replace(/[\s.-]/g, '')) ? null : 'Numéro invalide : 10 chiffres commençant par 0.'; },
        },
      ], 'Continuer', async function (values) {
        const body = {
          establishment_siret: state.company.establishment_siret,
          first_name: values.first_name,
          last_name: values.last_name,
          email: values.email,
        };
        if (values.phone) body.phone = values.phone.replace(/[\s.-]/g, '');
        const answer = await W.post(base + '/establishment', body);
        state.recruiter = answer.body;
        state.token = answer.headers.get('X-Widget-Token');
        offerStep(true);
      });
      const back = h('button', { type: 'button', class: 'btn btn--tertiary btn--sm', onclick: function () { siretStep(true); } }, '← Changer de SIRET');
      step(2, 'Vos coordonnées', [companyBox(), back, form.form]).focus();
    }

    /* Step 3: the offer */
    function offerStep(focus) {
      let appellation = null;
      const appellationInput = W.input({ autocomplete: 'off', placeholder: 'Ex. : boulanger, assistant comptable' });
      const appellationField = W.field({ label: 'Métier recherché', control: appellationInput, required: true, hint: 'Choisissez un intitulé dans la liste' });
      W.combobox(appellationInput, {
        search: async function (text, signal) {
          return (await W.get('/api/widget/appellations', { label: text }, { signal: signal })).appellations || [];
        },
        describe: function (a) { return { label: a.label, detail: a.romeLabel !== a.label ? a.romeLabel : null }; },
        select: function (a) { appellation = a; appellationField.setError(null); },
        changed: function () { appellation = null; },
      });
      const form = W.form([
        { element: appellationField },
        { name: 'job_level_label', label: 'Niveau de diplôme visé', type: 'select', required: true, options: LEVELS.map(function (l) { return [l, l]; }), value: LEVELS[0] },
        { name: 'job_start_date', label: 'Date de début', type: 'date', required: true, attrs: { min: today() }, value: today(), check: function (v) { return v < today() ? 'La date de début ne peut pas être passée.' : null; } },
        { name: 'job_type', label: 'Type de contrat', type: 'checkboxes', required: true, options: [['Apprentissage', 'Apprentissage'], ['Professionnalisation', 'Professionnalisation']], value: 'Apprentissage' },
        {
          name: 'job_duration', label: 'Durée du contrat (mois)', type: 'number', attrs: { min: 6, max: 36, inputmode: 'numeric' }, hint: 'Facultatif, de 6 à 36 mois',
          check: function (v) { const n = Number(v); return n >= 6 && n <= 36 && Math.round(n) === n ? null : 'Une durée de 6 à 36 mois.'; },
        },
        { name: 'job_rythm', label: 'Rythme de l’alternance', type: 'select', options: [['', 'Non précisé']].concat(RYTHMS.map(function (r) { return [r, r]; })), value: '' },
        { name: 'job_count', label: 'Nombre de postes', type: 'number', attrs: { min: 1, max: 99, inputmode: 'numeric' }, value: '1', check: function (v) { const n = Number(v); return n >= 1 && Math.round(n) === n ? null : 'Un nombre entier, 1 ou plus.'; } },
        {
          name: 'job_description', label: 'Description du poste', type: 'textarea', hint: 'Facultatif, 30 caractères au moins',
          check: function (v) { return v.length >= 30 ? null : 'La description compte au moins 30 caractères.'; },
        },
        { name: 'is_disabled_elligible', label: 'Accessibilité', type: 'checkboxes', options: [['oui', 'Poste ouvert aux personnes en situation de handicap']] },
      ], 'Publier l’offre', async function (values, api) {
        if (!appellation) {
          appellationField.setError('Choisissez un métier dans la liste proposée.');
          appellationInput.focus();
          return;
        }
        const body = {
          appellation_code: appellation.code,
          job_level_label: values.job_level_label,
          job_start_date: values.job_start_date,
          job_type: values.job_type,
          job_count: Number(values.job_count || 1),
          is_disabled_elligible: values.is_disabled_elligible.length > 0,
        };
        if (values.job_duration) body.job_duration = Number(values.job_duration);
        if (values.job_rythm) body.job_rythm = values.job_rythm;
        if (values.job_description) body.job_description = values.job_description;
        const answer = await W.post(base + '/jobs/' + encodeURIComponent(state.recruiter.establishment_id), body, { 'X-Widget-Token': state.token || '' });
        const jobs = answer.body.jobs || [];
        const job = jobs[jobs.length - 1];
        done(job, answer.body, appellation);
      });
      // The appellation is required but typed through the autocomplete: checked before the other fields.
      form.form.addEventListener('submit', function () {
        if (!appellation) appellationField.setError('Choisissez un métier dans la liste proposée.');
      }, true);
      const heading = step(3, 'Votre offre', [companyBox(), h('p', { class: 'small' }, 'Les champs marqués d’un astérisque (*) sont obligatoires.'), form.form]);
      if (focus) heading.focus();
    }

    function done(job, recruiter, appellation) {
      const geo = (recruiter.geo_coordinates || '').split(',');
      const search = new URLSearchParams({
        caller: W.caller(), romes: job.rome_code && job.rome_code[0] ? job.rome_code[0] : appellation.romeCode, job_name: appellation.label,
        lat: geo[0] || '', lon: geo[1] || '', radius: '10', itemId: job._id, type: 'matcha',
      });
      W.clear(stage);
      stepText.textContent = 'Offre publiée';
      const notice = W.notice('success', 'Votre offre est en ligne.', '« ' + appellation.label + ' » est visible dans les résultats de recherche. Les candidatures vous seront envoyées par e-mail.');
      notice.classList.add('offer-posted');
      notice.dataset.jobId = job._id;
      notice.setAttribute('tabindex', '-1');
      stage.appendChild(notice);
      stage.appendChild(h('div', { class: 'btn-group' },
        h('a', { class: 'btn btn--secondary', href: '/recherche-emploi?' + search.toString(), target: W.embedded ? '_blank' : null }, 'Voir l’offre dans les résultats'),
        h('button', { type: 'button', class: 'btn', onclick: function () { offerStep(true); } }, 'Déposer une autre offre')));
      notice.focus();
    }

    siretStep(false);
  };
})();
