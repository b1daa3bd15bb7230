"""One renderer per simulation: result -> rich renderables."""
