/* The candidate's forms: the application to an offer or a company (POST /api/v1/application) and the appointment
   request to a training centre (POST /api/appointment-request/...), used in the search page's dialogs and as the
   standalone pages /postuler and /rdva. */
(function () {
  'use strict';

  const W = window.Widget;
  const h = W.h;

  /* ---------- Application ---------- */

  const MAX_CV_BYTES = 3 * 1024 * 1024;

  /** Whether a candidate can apply to an item here: posted offers, and companies whose address the API holds. */
  W.canApply = function (item) {
    if (!item) return false;
    if (item.ideaType === 'matcha') return true;
    if (item.ideaType === 'lba' || item.ideaType === 'lbb') return !!(item.contact && item.contact.email);
    return false;
  };

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      const reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(file);
    });
  }

  /** The application form for an item of the search API; `done()` after the API accepted it. */
  W.applicationForm = function (item, done) {
    const offer = item.ideaType === 'matcha';
    const company = (item.company && item.company.name) || item.title || '';
    const form = W.form([
      { name: 'applicant_first_name', label: 'Prénom', required: true, attrs: { autocomplete: 'given-name', maxlength: 50 }, class: 'field--half' },
      { name: 'applicant_last_name', label: 'Nom', required: true, attrs: { autocomplete: 'family-name', maxlength: 50 } },
      { name: 'applicant_email', label: 'Adresse e-mail', type: 'email', required: true, attrs: { autocomplete: 'email' }, hint: 'Format attendu : nom@domaine.fr' },
      { name: 'applicant_phone', label: 'Téléphone', type: 'tel', required: true, attrs: { autocomplete: 'tel' }, check: W.checkPhone, hint: 'Exemple : 06 12 34 56 78' },
      {
        name: 'applicant_file', label: 'CV', type: 'file', required: true, hint: 'Fichier PDF ou Word (.docx), 3 Mo maximum',
        attrs: { accept: '.pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
        check: function (file) {
          if (!/\.(pdf|docx)$/i.test(file.name)) return 'Le CV doit être un fichier PDF ou Word (.docx).';
          if (file.size > MAX_CV_BYTES) return 'Le CV ne doit pas dépasser 3 Mo.';
          return null;
        },
      },
      { name: 'message', label: 'Votre message au recruteur', type: 'textarea', hint: 'Facultatif : présentez-vous et dites ce qui vous motive.' },
    ], 'Envoyer ma candidature', async function (values, api) {
      const content = await readFile(values.applicant_file);
      const body = {
        applicant_first_name: values.applicant_first_name,
        applicant_last_name: values.applicant_last_name,
        applicant_email: values.applicant_email,
        applicant_phone: values.applicant_phone,
        applicant_file_name: values.applicant_file.name,
        applicant_file_content: content,
        message: values.message || undefined,
        company_type: offer ? 'matcha' : item.ideaType,
        company_siret: (item.company && item.company.siret) || undefined,
        company_name: company || undefined,
        company_email: item.contact && item.contact.email ? item.contact.email : undefined,
        iv: item.contact && item.contact.iv ? item.contact.iv : undefined,
        company_address: (item.place && item.place.fullAddress) || undefined,
        job_id: offer ? item.id : undefined,
        job_title: offer ? item.title : undefined,
        caller: W.caller(),
        searched_for_job_label: W.param('job_name') || undefined,
      };
      const answer = await W.post('/api/v1/application', body);
      const notice = W.notice('success', 'Votre candidature a bien été envoyée.',
        'Elle a été transmise à ' + company + '. Vous allez recevoir une copie par e-mail à ' + values.applicant_email + '.');
      notice.setAttribute('tabindex', '-1');
      notice.classList.add('application-sent');
      notice.dataset.result = answer.body && answer.body.result ? answer.body.result : '';
      W.clear(wrapper).appendChild(notice);
      notice.focus();
      if (done) done(answer.body);
    });
    const wrapper = h('div', { class: 'application' },
      h('p', { class: 'muted small' }, offer ? 'Candidature à l’offre « ' + item.title + ' » chez ' + company + '.' : 'Candidature spontanée chez ' + company + '.'),
      h('p', { class: 'small' }, 'Les champs marqués d’un astérisque (*) sont obligatoires.'),
      form.form);
    return wrapper;
  };

  W.openApplication = function (item) {
    const dialog = W.dialog('Postuler');
    dialog.body.appendChild(W.applicationForm(item));
    const first = dialog.body.querySelector('input');
    if (first) first.focus();
  };

  /** One item of the search API by its type and id (the item routes). */
  W.fetchItem = async function (type, id) {
    const encoded = encodeURIComponent(id);
    if (type === 'matcha') return ((await W.get('/api/v1/jobs/matcha/' + encoded)).matchas || [])[0];
    if (type === 'peJob') return ((await W.get('/api/v1/jobs/job/' + encoded)).peJobs || [])[0];
    if (type === 'lba' || type === 'lbb') return ((await W.get('/api/v1/jobs/company/' + encoded)).lbaCompanies || [])[0];
    if (type === 'training' || type === 'formation') return ((await W.get('/api/v1/formations/formation/' + encoded)).results || [])[0];
    throw new W.ApiError(400, { error: 'Type inconnu : ' + type });
  };

  // GET /postuler?caller=&itemId=&type=
  W.pages.apply = async function (app) {
    const missing = !W.param('caller') ? 'missing_caller_parameter' : !W.param('itemId') ? 'missing_item_id_parameter' : !W.param('type') ? 'missing_type_parameter' : null;
    if (missing) {
      app.appendChild(W.notice('error', 'Lien incomplet', W.messageOf({ error: missing }) + ' (' + missing + ')'));
      return;
    }
    const type = W.param('type');
    let item;
    try {
      item = await W.fetchItem(type, W.param('itemId'));
    } catch (error) {
      app.appendChild(W.notice('error', 'Offre introuvable', error.message));
      return;
    }
    if (!item) {
      app.appendChild(W.notice('error', 'Offre introuvable', 'Cette offre n’existe pas ou n’est plus disponible.'));
      return;
    }
    const box = h('div', { class: 'form-narrow' },
      h('div', { class: 'card-box' },
        h('h2', null, item.title || ''),
        h('p', null, (item.company && item.company.name) || ''),
        item.place && item.place.fullAddress ? h('p', { class: 'muted' }, item.place.fullAddress) : null));
    if (W.canApply(item)) {
      box.appendChild(W.applicationForm(item));
    } else if (item.url) {
      box.appendChild(h('p', null, h('a', { class: 'btn', href: item.url, target: '_blank', rel: 'noopener' }, 'Postuler sur le site de l’offre')));
    } else {
      box.appendChild(W.notice('', 'Candidature impossible ici', 'Cette entreprise ne peut pas recevoir de candidature par ce service.'));
    }
    app.appendChild(box);
  };

  /* ---------- Appointment request ---------- */

  const REASONS = [
    ['modalite', 'Modalités de déroulement de la formation'],
    ['contenu', 'Contenu de la formation'],
    ['porte', 'Dates de portes ouvertes'],
    ['frais', 'Frais d’inscription'],
    ['place', 'Places disponibles'],
    ['horaire', 'Horaires et rythme de la formation'],
    ['plus', 'En savoir plus sur l’alternance'],
    ['accompagnement', 'Accompagnement pour trouver une entreprise'],
    ['lieu', 'Lieu de la formation'],
    ['suivi', 'Suivi de ma candidature'],
    ['debouche', 'Débouchés de la formation'],
    ['autre', 'Autre question'],
  ];

  /** Asks the API whether the training takes requests from this referrer: its context, or null. */
  W.appointmentContext = async function (cle, referrer) {
    try {
      const answer = await W.post('/api/appointment-request/context/create', { idCleMinistereEducatif: cle, referrer: referrer || 'lba' });
      return answer.body && !answer.body.error ? answer.body : null;
    } catch (e) {
      return null;
    }
  };

  /** The appointment request form for a training's context (the answer of context/create). */
  W.appointmentForm = function (context, referrer, done) {
    const form = W.form([
      { name: 'firstname', label: 'Prénom', required: true, attrs: { autocomplete: 'given-name', maxlength: 50 } },
      { name: 'lastname', label: 'Nom', required: true, attrs: { autocomplete: 'family-name', maxlength: 50 } },
      { name: 'email', label: 'Adresse e-mail', type: 'email', required: true, attrs: { autocomplete: 'email' }, hint: 'Format attendu : nom@domaine.fr' },
      { name: 'phone', label: 'Téléphone', type: 'tel', required: true, attrs: { autocomplete: 'tel' }, check: W.checkPhone, hint: 'Exemple : 06 12 34 56 78' },
      { name: 'type', label: 'Vous êtes', type: 'radios', required: true, options: [['etudiant', 'L’apprenti ou l’apprentie'], ['parent', 'Un parent']], value: 'etudiant' },
      { name: 'applicantReasons', label: 'Vos questions', type: 'checkboxes', options: REASONS, hint: 'Facultatif' },
      { name: 'applicantMessageToCfa', label: 'Votre message à l’organisme de formation', type: 'textarea', hint: 'Facultatif' },
    ], 'Envoyer ma demande', async function (values, api) {
      const answer = await W.post('/api/appointment-request/validate', {
        firstname: values.firstname,
        lastname: values.lastname,
        phone: values.phone,
        email: values.email,
        type: values.type,
        applicantMessageToCfa: values.applicantMessageToCfa || null,
        applicantReasons: values.applicantReasons,
        cleMinistereEducatif: context.cle_ministere_educatif,
        appointmentOrigin: referrer || 'lba',
      });
      const notice = W.notice('success', 'Votre demande a bien été envoyée.',
        (context.etablissement_formateur_entreprise_raison_sociale || 'L’organisme de formation') + ' va vous recontacter. Un récapitulatif vous a été envoyé à ' + values.email + '.');
      notice.setAttribute('tabindex', '-1');
      notice.classList.add('appointment-sent');
      notice.dataset.appointment = answer.body && answer.body.appointment ? answer.body.appointment._id || '' : '';
      W.clear(wrapper).appendChild(notice);
      notice.focus();
      if (done) done(answer.body);
    });
    const wrapper = h('div', { class: 'appointment' },
      h('p', { class: 'muted small' }, 'Demande de contact pour la formation « ' + (context.intitule_long || '') + ' » auprès de ' +
        (context.etablissement_formateur_entreprise_raison_sociale || 'l’organisme de formation') + '.'),
      h('p', { class: 'small' }, 'Les champs marqués d’un astérisque (*) sont obligatoires.'),
      form.form);
    return wrapper;
  };

  W.openAppointment = function (context, referrer) {
    const dialog = W.dialog('Demander un rendez-vous');
    dialog.body.appendChild(W.appointmentForm(context, referrer));
    const first = dialog.body.querySelector('input');
    if (first) first.focus();
  };

  // GET /rdva?cleMinistereEducatif=…&referrer=… (and /espace-pro/form, where the API's form_url points)
  W.pages.appointment = async function (app) {
    const cle = W.param('cleMinistereEducatif');
    const referrer = (W.param('referrer') || 'lba').toLowerCase();
    if (!cle) {
      app.appendChild(W.notice('error', 'Lien incomplet', 'Le paramètre cleMinistereEducatif est manquant.'));
      return;
    }
    let context;
    try {
      const answer = await W.post('/api/appointment-request/context/create', { idCleMinistereEducatif: cle, referrer: referrer });
      context = answer.body;
    } catch (error) {
      app.appendChild(W.notice('error', 'Formation introuvable', error.message));
      return;
    }
    if (!context || context.error) {
      app.appendChild(W.notice('', 'Prise de rendez-vous indisponible', (context && context.error) || 'Prise de rendez-vous non disponible.'));
      return;
    }
    const address = [context.lieu_formation_adresse, context.code_postal, context.localite].filter(Boolean).join(' ');
    app.appendChild(h('div', { class: 'form-narrow' },
      h('div', { class: 'card-box' },
        h('h2', null, context.intitule_long || ''),
        h('p', null, context.etablissement_formateur_entreprise_raison_sociale || ''),
        address ? h('p', { class: 'muted' }, address) : null),
      W.appointmentForm(context, referrer)));
  };
})();
