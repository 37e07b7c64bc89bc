// Passkeys (WebAuthn) for forms marked data-passkey="create" or "get". The page's options handler starts the
// ceremony (the server keeps the challenge in a cookie bound to this workspace), the browser talks to the
// authenticator, and the form is then submitted with the credential as JSON for the server to verify. Nothing here
// decides anything: it only carries the options in and the credential out.
(() => {
    'use strict';

    const supported = typeof window.PublicKeyCredential === 'function'
        && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function'
        && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function';

    const messages = {
        NotAllowedError: 'No passkey was used. It may have been cancelled, or this device has no passkey for this address.',
        InvalidStateError: 'This device already holds a passkey for your account here.',
        AbortError: 'The passkey request was cancelled.',
        SecurityError: 'Passkeys work only on this workspace\'s own address, over HTTPS.',
    };

    function say(form, text) {
        const status = form.querySelector('[data-passkey-status]');
        if (status) {
            status.textContent = text;
        }
    }

    async function fetchOptions(form) {
        // Same-origin POST with the form's anti-forgery token in the header the server checks.
        const token = form.querySelector('input[name="__RequestVerificationToken"]');
        const response = await fetch(form.dataset.optionsUrl, {
            method: 'POST',
            credentials: 'same-origin',
            headers: token ? { RequestVerificationToken: token.value } : {},
        });
        if (response.redirected) {
            // The server wants a fresh proof of identity first (or a sign-in); go there, then come back.
            window.location.assign(response.url);
            return null;
        }
        if (response.status === 429) {
            throw new Error('Too many attempts. Wait a minute, then try again.');
        }
        if (!response.ok || !(response.headers.get('Content-Type') || '').startsWith('application/json')) {
            throw new Error('The passkey request could not be started. Reload the page and try again.');
        }
        return response.json();
    }

    async function run(form) {
        const options = await fetchOptions(form);
        if (options === null) {
            return false;
        }
        const credential = form.dataset.passkey === 'create'
            ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })
            : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
        if (!credential) {
            throw new Error(messages.NotAllowedError);
        }
        form.elements.credential.value = JSON.stringify(credential);
        say(form, 'Checking the passkey…');
        form.submit();
        return true;
    }

    for (const form of document.querySelectorAll('form[data-passkey]')) {
        const button = form.querySelector('button[type="submit"]');
        if (!supported) {
            button.disabled = true;
            say(form, 'This browser cannot use passkeys.');
            continue;
        }
        form.addEventListener('submit', async event => {
            event.preventDefault();
            if (button.disabled) {
                return;
            }
            button.disabled = true;
            form.setAttribute('aria-busy', 'true');
            say(form, 'Waiting for your passkey…');
            try {
                if (await run(form)) {
                    return;
                }
            } catch (error) {
                say(form, messages[error.name] || error.message || 'The passkey did not work.');
            }
            form.removeAttribute('aria-busy');
            button.disabled = false;
        });
    }
})();
