/** A failed load or action, announced to screen readers. */
export function ErrorNote(props: { error: string | null | undefined }) {
  if (!props.error) return null;
  return (
    <p role="alert" class="error">
      {props.error}
    </p>
  );
}
