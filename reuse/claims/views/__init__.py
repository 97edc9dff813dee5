"""The claims pages: the catalogue, the claimant's claims, and the partners' pages (workshop counter,
associations, voucher funders). They work without JavaScript; the card form is the one enhancement."""
