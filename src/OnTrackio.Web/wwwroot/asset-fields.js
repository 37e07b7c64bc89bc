// The asset form's custom fields follow its model. Without script, "Show fields for this model" posts the form to
// the page's Fields handler, which shows it again with the model's fields and everything typed so far. With script,
// changing the model posts the same request in the background and swaps in only the fields, so focus stays put.
(() => {
    'use strict';

    for (const button of document.querySelectorAll('button[data-refresh-fields]')) {
        const form = button.form;
        const model = form.querySelector('select[data-refresh-fields]');
        if (!model || !form.querySelector('[data-custom-fields]')) {
            continue;
        }

        button.hidden = true;
        model.addEventListener('change', async () => {
            try {
                const response = await fetch(button.formAction, { method: 'POST', body: new FormData(form), credentials: 'same-origin' });
                const page = new DOMParser().parseFromString(await response.text(), 'text/html');
                const fresh = page.querySelector('[data-custom-fields]');
                if (!response.ok || !fresh) {
                    throw new Error(`fields: ${response.status}`);
                }

                form.querySelector('[data-custom-fields]').replaceChildren(...fresh.childNodes);
            } catch {
                // Fall back to the button, which works without script.
                button.hidden = false;
            }
        });
    }
})();
