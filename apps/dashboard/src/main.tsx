import { render } from 'preact';

/** Placeholder shell until the dashboard lands (issue 7). */
function App() {
  return <h1>fleetprune</h1>;
}

render(<App />, document.getElementById('app') as HTMLElement);
