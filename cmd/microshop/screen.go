package main

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// screenRoom is the part of the primary screen windows may take, its task
// bars left out, in w's units; zero when GLFW cannot tell (as on
// Wayland), and the window then keeps its size. It calls GLFW, so it runs
// on the main thread once the app has started (Lifecycle's OnStarted).
func screenRoom(w fyne.Window) (room fyne.Size) {
	// GLFW panics on an error it reports; a window of the size it was
	// closed at is better than no window.
	defer func() {
		if recover() != nil {
			room = fyne.Size{}
		}
	}()
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}
	}
	_, _, width, height := m.GetWorkarea()
	scale := w.Canvas().Scale()
	if scale <= 0 {
		scale = 1
	}
	return fyne.NewSize(float32(width)/scale, float32(height)/scale)
}
