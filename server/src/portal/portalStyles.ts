/**
 * The portal's own rules, after the DSFR's (issue 13): the navigation that works without
 * JavaScript at every width, lists of cards, the published text, the metadata block, the map and
 * its legend, printing, and a phone's tighter navigation, titles and leads (issue 16: the search
 * field and the first publications come sooner). DSFR variables and palette only (blue France
 * scale for the map).
 */
export const PORTAL_CSS = `
.essaim-portal-nav{border-top:1px solid var(--border-default-grey,#ddd);box-shadow:0 1px 0 var(--border-default-grey,#ddd)}
.essaim-portal-nav__list{display:flex;flex-wrap:wrap;gap:0 1.5rem;list-style:none;margin:0;padding:0}
.essaim-portal-nav__list li{padding:0}
.essaim-portal-nav__link{display:inline-block;padding:.75rem 0;font-size:.875rem;font-weight:500;color:var(--text-title-grey,#161616);background-image:none}
.essaim-portal-nav__link[aria-current=page]{color:var(--text-active-blue-france,#000091);box-shadow:inset 0 -2px 0 var(--border-active-blue-france,#000091)}
.essaim-portal-main{padding-bottom:3rem}
.essaim-portal-main:focus{outline:none}
.essaim-portal-search{margin:1.5rem 0}
.essaim-portal-filters{margin:1rem 0 0;padding:0}
.essaim-portal-filters__fieldset{border:0;margin:0;padding:0;min-width:0}
.essaim-portal-filters *{box-sizing:border-box}
.essaim-portal-filters__summary{cursor:pointer;color:var(--text-action-high-blue-france,#000091);font-weight:500;padding:.5rem 0;width:fit-content}
.essaim-portal-filters[open] .essaim-portal-filters__summary{margin-bottom:1rem}
.essaim-portal-filters__submit{display:flex;align-items:flex-end}
.essaim-portal-links{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 2rem}
.essaim-portal-links li{padding:0}
.essaim-portal-list{list-style:none;margin:0;padding:0;display:grid;gap:1.5rem;grid-template-columns:repeat(auto-fill,minmax(min(100%,22rem),1fr))}
.essaim-portal-list>li{padding:0;display:flex}
.essaim-portal-card{width:100%}
.essaim-portal-card .fr-card__desc mark{background-color:var(--background-contrast-yellow-tournesol,#fef6e3);color:inherit;font-weight:700;padding:0 .1em}
.essaim-portal-card .fr-tags-group,.essaim-portal-card .fr-badges-group{margin-bottom:.25rem}
.essaim-portal-kicker{margin:2rem 0 .5rem}
.essaim-portal-version{color:var(--text-mention-grey,#666);margin-bottom:1.5rem}
.essaim-portal-summary{margin-bottom:2rem}
.essaim-portal-content img{max-width:100%;height:auto}
.essaim-portal-content .essaim-section{margin-bottom:2rem}
.essaim-portal-publication{display:grid;grid-template-columns:minmax(0,1fr);gap:0 2rem;align-items:start}
@media (min-width:62em){
.essaim-portal-publication{grid-template-columns:minmax(0,2fr) minmax(0,1fr);grid-template-rows:auto 1fr}
.essaim-portal-publication__head{grid-column:1;grid-row:1}
.essaim-portal-publication__aside{grid-column:2;grid-row:1 / span 2}
.essaim-portal-publication__body{grid-column:1;grid-row:2}
}
.essaim-portal-publication__aside>:first-child{margin-top:2rem}
.essaim-portal-publication__aside{margin-bottom:2rem}
.essaim-portal-content .essaim-section-title{font-size:1.75rem;line-height:2.25rem;margin-top:2.5rem}
.essaim-portal-content h3{font-size:1.375rem;line-height:1.75rem;margin-top:1.5rem}
.essaim-portal-content h4{font-size:1.125rem;line-height:1.5rem;margin-top:1.25rem}
.essaim-portal-content table{border-collapse:collapse;margin:1rem 0;width:100%;display:block;overflow-x:auto}
.essaim-portal-content th,.essaim-portal-content td{border:1px solid var(--border-default-grey,#ddd);padding:.5rem;vertical-align:top}
.essaim-portal-content blockquote{border-left:4px solid var(--border-default-blue-france,#000091);margin:1rem 0;padding:.25rem 0 .25rem 1rem}
.essaim-portal-content .essaim-notes{border-top:1px solid var(--border-default-grey,#ddd);font-size:.875rem;margin-top:3rem}
.essaim-portal-content .essaim-notes h2{font-size:1.25rem}
.essaim-portal-meta,.essaim-portal-versions{background:var(--background-alt-blue-france,#f5f5fe);margin-top:1.5rem;padding:1.5rem}
.essaim-portal-meta dl{margin:0}
.essaim-portal-meta dt{font-weight:700;margin-top:1rem}
.essaim-portal-meta dt:first-child{margin-top:0}
.essaim-portal-meta dd{margin:0;padding:0;overflow-wrap:anywhere}
.essaim-portal-meta .fr-tags-group{margin-top:.25rem}
.essaim-portal-versions ol{margin-bottom:0}
.essaim-portal-definitions dt{font-weight:700;margin-top:1rem}
.essaim-portal-definitions dd{margin:0}
.essaim-inspiration{border-top:1px solid var(--border-default-grey,#ddd);margin-top:3rem;padding-top:1.5rem}
.essaim-inspiration__form{max-width:40rem}
.essaim-inspiration__list{margin-bottom:1.5rem}
.essaim-inspiration__message{color:var(--text-mention-grey,#666)}
.essaim-inspiration__outcome{border-left:4px solid;padding:.75rem 1rem;margin:1rem 0;font-weight:500}
.essaim-inspiration__outcome--success{border-color:var(--border-plain-success,#18753c);background:var(--background-contrast-success,#b8fec9);color:var(--text-default-success,#18753c)}
.essaim-inspiration__outcome--error{border-color:var(--border-plain-error,#ce0500);background:var(--background-contrast-error,#ffe9e9);color:var(--text-default-error,#ce0500)}
.essaim-map-figure{margin:1.5rem 0}
.essaim-map{display:block;width:100%;height:auto;max-height:80vh}
.essaim-map__dep{stroke:#fff;stroke-width:.7}
.essaim-map__dep--0{fill:#eee}
.essaim-map__dep--1{fill:#6a6af4}
.essaim-map__dep--2{fill:#3b3bd6}
.essaim-map__dep--3{fill:#000091}
.essaim-map__dep--4{fill:#00004f}
.essaim-map__dep--reprise{stroke:#e1000f;stroke-width:2.5}
.essaim-map a:hover .essaim-map__dep,.essaim-map a:focus .essaim-map__dep{stroke:#ffca00;stroke-width:3}
.essaim-map a:focus{outline:none}
.essaim-map-legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;font-size:.875rem}
.essaim-map-legend li{padding:0;display:flex;align-items:center;gap:.5rem}
.essaim-map-legend__swatch{display:inline-block;width:1.25rem;height:1.25rem;border:1px solid #929292}
.essaim-map-legend__swatch.essaim-map__dep--0{background:#eee}
.essaim-map-legend__swatch.essaim-map__dep--1{background:#6a6af4}
.essaim-map-legend__swatch.essaim-map__dep--2{background:#3b3bd6}
.essaim-map-legend__swatch.essaim-map__dep--3{background:#000091}
.essaim-map-legend__swatch.essaim-map__dep--4{background:#00004f}
.essaim-map-legend__swatch.essaim-map__dep--reprise{border:3px solid #e1000f}
.essaim-map-list{padding-left:0;list-style:none}
.essaim-map-list__region{margin-bottom:1rem}
.essaim-map-list__region ul{margin-top:.25rem}
@media (max-width:47.99em){
.essaim-portal-nav__list{gap:0 1.25rem}
.essaim-portal-nav__link{padding:.5rem 0}
.essaim-portal-main h1{font-size:1.75rem;line-height:2.25rem}
.essaim-portal-main .fr-text--lead{font-size:1.125rem!important;line-height:1.75rem!important}
}
@media print{
.fr-skiplinks,.essaim-portal-nav,.essaim-portal-search,.fr-breadcrumb,.fr-footer,.essaim-portal-versions,.essaim-portal-summary{display:none}
.essaim-portal-meta{background:none;border:1px solid #929292}
.essaim-portal-publication{display:block}
}
`;
