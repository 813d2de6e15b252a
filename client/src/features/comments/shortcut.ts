/**
 * Whether `event` is « commenter la sélection » (Ctrl+Alt+M, Cmd+Alt+M on a Mac), wherever the
 * focus is. Read by the comments' hook (useComments.ts) and, until that hook has arrived with the
 * chunk loaded after the text's first drawing, by the editor page, which keeps the request.
 */
export function isCommentShortcut(event: KeyboardEvent): boolean {
  return (
    (event.ctrlKey || event.metaKey) &&
    event.altKey &&
    (event.code === 'KeyM' || event.key.toLowerCase() === 'm')
  );
}
