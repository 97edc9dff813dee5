"""Who may see and do what: the one place for object-level permissions.

Each module holds the rules of one domain as queryset filters (`visible_*`) and predicates (`can_*`).
Views and the API both go through them; an object outside the visible queryset is a 404, never a 403,
so that nobody learns that another organisation's object exists.
"""
