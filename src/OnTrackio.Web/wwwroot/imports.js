// Follows a running import on its page: asks the API for the job every second, moves the progress bar, and reloads
// the page once the job has finished so the server renders the result. Without this script the page says to reload.
(() => {
    'use strict';
    const section = document.querySelector('[data-import-progress]');
    if (!section) {
        return;
    }

    const bar = section.querySelector('progress');
    const count = section.querySelector('[data-import-count]');
    const status = document.querySelector('[data-import-status]');

    async function poll() {
        try {
            const response = await fetch(section.dataset.url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
            if (!response.ok) {
                return setTimeout(poll, 5000);
            }

            const job = await response.json();
            if (!job.isRunning) {
                return window.location.reload();
            }

            bar.max = Math.max(1, job.totalRows);
            bar.value = job.processedRows;
            bar.textContent = `${job.processedRows} of ${job.totalRows}`;
            count.textContent = `${job.processedRows.toLocaleString()} of ${job.totalRows ? job.totalRows.toLocaleString() : '?'} rows`;
            status.textContent = job.status;
        } catch {
            // A dropped connection is retried on the next tick.
        }

        setTimeout(poll, 1000);
    }

    setTimeout(poll, 1000);
})();
