"""Pages of the roadmaps app: roadmaps and their items, each school's execution, the coordinator's
matrix of items × schools, the export and the print view."""

# --- Roadmaps, items, execution, due list, templates --------------------------------------


# --- Matrix, export, print view -----------------------------------------------------------
