// Lists migrants from the API named in the URL fragment, as a portal would,
// and records the outcome in #result (data-outcome = ok | blocked).
(async function () {
  const params = new URLSearchParams(location.hash.slice(1));
  const out = document.getElementById('result');
  try {
    const resp = await fetch(params.get('api') + '/graphql', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: 'Bearer ' + params.get('token'),
      },
      body: JSON.stringify({
        query: '{ migrants(first: 5) { totalCount edges { node { id } } } }',
      }),
    });
    const body = await resp.json();
    out.textContent = JSON.stringify(body);
    out.dataset.outcome = 'ok';
  } catch (err) {
    // A CORS refusal surfaces as a TypeError ("Failed to fetch").
    out.textContent = String(err);
    out.dataset.outcome = 'blocked';
  }
})();
