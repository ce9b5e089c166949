// The Reintegra GraphiQL page: a token box kept in localStorage, and a
// fetcher that sends the token as a Bearer header (HTTP) or in the
// connection_init payload (WebSocket, graphql-transport-ws).
// Kept out of index.html so the Content-Security-Policy needs no inline script.
(function () {
  'use strict';

  var STORAGE_KEY = 'reintegra.graphiql.token';
  var NO_TOKEN_MESSAGE =
    'Paste a token in the box above to run queries and load the schema ' +
    '(reintegra token --institution MINTRAB --role labour_officer | tail -n 1).';

  var input = document.getElementById('token');
  var clear = document.getElementById('clear-token');
  var status = document.getElementById('token-status');
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));

  // localStorage can be unavailable (private mode, storage disabled):
  // the page then still works, it just forgets the token on reload.
  function loadToken() {
    try {
      return window.localStorage.getItem(STORAGE_KEY) || '';
    } catch (e) {
      return '';
    }
  }

  function saveToken(token) {
    try {
      if (token) {
        window.localStorage.setItem(STORAGE_KEY, token);
      } else {
        window.localStorage.removeItem(STORAGE_KEY);
      }
    } catch (e) {
      /* see loadToken */
    }
  }

  // People paste "Bearer eyJ…" as often as "eyJ…".
  function normalize(raw) {
    return raw.trim().replace(/^bearer\s+/i, '');
  }

  // Without a token the server can only answer UNAUTHENTICATED, so no
  // request is made at all: GraphiQL gets a GraphQL-shaped error instead.
  function noTokenFetcher() {
    return Promise.resolve({ errors: [{ message: NO_TOKEN_MESSAGE }] });
  }

  function fetcherFor(token) {
    if (!token) {
      return noTokenFetcher;
    }
    var auth = 'Bearer ' + token;
    var wsScheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    return GraphiQL.createFetcher({
      url: window.location.origin + '/graphql',
      // graphql-ws connects lazily: only when a subscription runs.
      subscriptionUrl: wsScheme + '//' + window.location.host + '/graphql/ws',
      headers: { Authorization: auth },
      wsConnectionParams: { Authorization: auth },
      // The server answers plain JSON; no multipart @defer/@stream.
      enableIncrementalDelivery: false,
    });
  }

  function render(token) {
    status.textContent = token ? 'token set' : 'no token: nothing is sent';
    // A new key remounts GraphiQL, so it fetches the schema again with the
    // new token (GraphiQL does not refetch when only the fetcher changes).
    root.render(
      React.createElement(GraphiQL, {
        key: token || 'no-token',
        fetcher: fetcherFor(token),
        defaultEditorToolsVisibility: true,
        shouldPersistHeaders: false,
      })
    );
  }

  var current = normalize(loadToken());
  var timer = null;

  function update() {
    var token = normalize(input.value);
    saveToken(token);
    if (token !== current) {
      current = token;
      render(token);
    }
  }

  input.value = current;
  // Typing is applied (saved and re-rendered) after a pause, so a half-pasted
  // token does not trigger a schema fetch per keystroke.
  input.addEventListener('input', function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 400);
  });
  input.addEventListener('change', function () {
    window.clearTimeout(timer);
    update();
  });
  clear.addEventListener('click', function () {
    input.value = '';
    window.clearTimeout(timer);
    update();
    input.focus();
  });
  render(current);
})();
