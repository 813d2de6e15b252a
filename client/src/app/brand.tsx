import { appMessages as m } from './messages.js';

/** The « République française » block of the header and the footer, on two lines. */
export const brandTop = (
  <>
    {m.brandTop[0]}
    <br />
    {m.brandTop[1]}
  </>
);

/** The link of the header's and the footer's brand: the home page. */
export const homeLinkProps = { to: '/', title: m.homeLinkTitle };
