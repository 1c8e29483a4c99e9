'use strict';
// Shows beside each admin date box (core.admin.dates.EraDateWidget) the date in the Japanese
// calendar as a Western date is typed or picked: 2019/5/20, 2019-05-20, 2019年5月20日, full-width
// digits too. Era forms (令和元年5月20日, R1.5.20) are read by the server when the form is saved.
{
    const WESTERN = /^(\d{4})\s*(?:[/\-.]|年)\s*(\d{1,2})\s*(?:[/\-.]|月)\s*(\d{1,2})\s*日?$/;

    function eraLabel(input) {
        const text = input.value.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFEE0));
        const match = WESTERN.exec(text);
        if (!match) {
            return null;
        }
        const [year, month, day] = match.slice(1).map(Number);
        const date = new Date(Date.UTC(year, month - 1, day));
        if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
            return '';
        }
        const iso = date.toISOString().slice(0, 10);
        for (const [name, start] of JSON.parse(input.dataset.eras)) {
            if (iso >= start) {
                const eraYear = year - Number(start.slice(0, 4)) + 1;
                return `${name}${eraYear === 1 ? '元' : eraYear}年${month}月${day}日`;
            }
        }
        return '';
    }

    function update(event) {
        const input = event.target;
        if (!(input instanceof HTMLInputElement) || !input.dataset.eras) {
            return;
        }
        const label = document.getElementById(input.id + '_era');
        const text = eraLabel(input);
        if (label && text !== null) {
            label.textContent = text;
        } else if (label && input.value.trim() === '') {
            label.textContent = '';
        }
    }

    document.addEventListener('input', update);
    document.addEventListener('change', update);
    document.addEventListener('focusout', update);
}
