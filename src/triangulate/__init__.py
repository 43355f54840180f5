"""triangulate: corroborated news briefs in which every sentence is traceable."""
