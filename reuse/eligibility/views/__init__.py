"""Pages under /eligibilite/, by who uses them: households, sign-ups (households, associations, code sign-in),
referrers."""
